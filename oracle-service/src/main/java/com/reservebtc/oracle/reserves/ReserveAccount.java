package com.reservebtc.oracle.reserves;

import com.reservebtc.reserves.verifier.LeafAddress;
import com.reservebtc.reserves.verifier.SumLeaf;
import com.reservebtc.reserves.verifier.SumNode;
import java.util.List;

/**
 * One leaf of a snapshot: an EVM address, its salt, and its bound Bitcoin addresses with their
 * balances as of the snapshot's block. Operator-only except to its owner.
 *
 * @param index position in leaf order (ascending leaf hash)
 * @param ethAddress lower-case 0x EVM address
 * @param salt the leaf's salt, 64 lower-case hex digits
 * @param sum Σ sats of the addresses
 * @param leafHash lower-case hex leaf hash
 * @param addresses the bound addresses in ascending scriptPubKey order
 */
public record ReserveAccount(
    int index,
    String ethAddress,
    String salt,
    long sum,
    String leafHash,
    List<LeafAddress> addresses) {

  public ReserveAccount {
    addresses = List.copyOf(addresses);
  }

  static ReserveAccount of(SumLeaf leaf, SumNode node) {
    return new ReserveAccount(
        -1, leaf.ethAddress(), leaf.salt(), leaf.sum(), node.hashHex(), leaf.addresses());
  }

  ReserveAccount withIndex(int newIndex) {
    return new ReserveAccount(newIndex, ethAddress, salt, sum, leafHash, addresses);
  }

  SumNode node() {
    return SumNode.of(leafHash, sum);
  }
}
