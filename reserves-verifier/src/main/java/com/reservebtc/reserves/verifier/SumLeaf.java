package com.reservebtc.reserves.verifier;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A user's leaf: the salted commitment to one EVM address's bound Bitcoin addresses and their
 * balances.
 *
 * <p>leaf hash = SHA-256(0x00 ‖ salt (32 bytes) ‖ EVM address (20 bytes) ‖ u64(sum) ‖ u32(count) ‖
 * for each address in ascending scriptPubKey order: u8(script length) ‖ script ‖ u64(sats)), where
 * u64/u32/u8 are big-endian unsigned and sum = Σ sats. The leaf node is (leaf hash, sum).
 *
 * @param salt 32 bytes as lower-case hex; given only to the user
 * @param ethAddress lower-case 0x EVM address
 * @param addresses the bound addresses, in ascending scriptPubKey order (hex, lower case)
 * @param sum Σ sats of the addresses
 */
public record SumLeaf(String salt, String ethAddress, List<LeafAddress> addresses, long sum) {

  static final byte LEAF_PREFIX = 0x00;

  public SumLeaf {
    Hex.decodeExact(salt, 32, "a salt");
    if (!ethAddress.matches("0x[0-9a-f]{40}")) {
      throw new IllegalArgumentException("an EVM address is 0x + 40 lower-case hex digits");
    }
    addresses = List.copyOf(addresses);
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("a leaf holds at least one Bitcoin address");
    }
    long total = 0;
    for (int i = 0; i < addresses.size(); i++) {
      if (i > 0
          && addresses.get(i - 1).scriptPubKey().compareTo(addresses.get(i).scriptPubKey()) >= 0) {
        throw new IllegalArgumentException(
            "a leaf's addresses are in strictly ascending scriptPubKey order");
      }
      total = Math.addExact(total, addresses.get(i).sats());
    }
    if (total != sum) {
      throw new IllegalArgumentException(
          "the leaf's sum " + sum + " is not the sum of its addresses' balances " + total);
    }
  }

  /** A leaf over {@code addresses} in any order; they are sorted and summed here. */
  public static SumLeaf of(String salt, String ethAddress, List<LeafAddress> addresses) {
    List<LeafAddress> sorted = new ArrayList<>(addresses);
    sorted.sort(Comparator.comparing(LeafAddress::scriptPubKey));
    long sum = 0;
    for (LeafAddress address : sorted) {
      sum = Math.addExact(sum, address.sats());
    }
    return new SumLeaf(salt, ethAddress.toLowerCase(Locale.ROOT), sorted, sum);
  }

  /** The leaf's node: its hash and its sum. */
  public SumNode node() {
    MessageDigest sha = SumNode.sha256();
    sha.update(LEAF_PREFIX);
    sha.update(Hex.decode(salt));
    sha.update(Hex.decode(ethAddress.substring(2)));
    sha.update(SumNode.u64(sum));
    int count = addresses.size();
    sha.update(
        new byte[] {
          (byte) (count >>> 24), (byte) (count >>> 16), (byte) (count >>> 8), (byte) count
        });
    for (LeafAddress address : addresses) {
      byte[] script = address.script();
      sha.update((byte) script.length);
      sha.update(script);
      sha.update(SumNode.u64(address.sats()));
    }
    return new SumNode(sha.digest(), sum);
  }
}
