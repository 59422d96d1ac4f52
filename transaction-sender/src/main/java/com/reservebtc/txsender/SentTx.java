package com.reservebtc.txsender;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A transaction of the sender's key, signed locally, and every version of it broadcast at its
 * nonce. A replacement keeps the nonce, call and gas limit and adds a hash; any one of {@link
 * #hashes()} can be the one that is mined.
 *
 * @param from the sender's address, lower case
 * @param nonce the account nonce all versions use
 * @param call what the transaction does
 * @param gasLimit gas limit of every version
 * @param fees fees of the latest version
 * @param hashes lower-case 0x hashes of every version, oldest first; the last is the latest
 * @param broadcastAt when the latest version was handed to the node (or, for a transaction read
 *     back from the node after a restart, when it was read)
 */
public record SentTx(
    String from,
    long nonce,
    Call call,
    BigInteger gasLimit,
    Fees fees,
    List<String> hashes,
    Instant broadcastAt) {

  public SentTx {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(call, "call");
    Objects.requireNonNull(gasLimit, "gasLimit");
    Objects.requireNonNull(fees, "fees");
    Objects.requireNonNull(broadcastAt, "broadcastAt");
    hashes = List.copyOf(hashes);
    if (hashes.isEmpty()) {
      throw new IllegalArgumentException("a sent transaction has at least one hash");
    }
    if (nonce < 0) {
      throw new IllegalArgumentException("nonce must be >= 0, was " + nonce);
    }
  }

  /** The hash of the latest version. */
  public String hash() {
    return hashes.get(hashes.size() - 1);
  }

  /** Whether this is a replacement (more than one version exists). */
  public boolean replacement() {
    return hashes.size() > 1;
  }

  SentTx replacedBy(String hash, Fees newFees, Instant at) {
    List<String> all = new ArrayList<>(hashes);
    all.add(hash);
    return new SentTx(from, nonce, call, gasLimit, newFees, all, at);
  }
}
