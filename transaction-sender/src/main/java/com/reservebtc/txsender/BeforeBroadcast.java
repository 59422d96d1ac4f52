package com.reservebtc.txsender;

/**
 * Called with a signed version of a transaction — its hash, nonce and fees known — before it is
 * handed to the node, for the first version and for every replacement. Record it durably here: any
 * version may be the one that is mined, and after a crash only the recorded hashes can say which.
 * An exception thrown here stops the broadcast and reaches the caller of {@code send} or {@code
 * await}.
 */
@FunctionalInterface
public interface BeforeBroadcast {

  /** Records nothing: for callers with no need to resolve their transactions after a crash. */
  BeforeBroadcast NOTHING = tx -> {};

  void accept(SentTx tx);
}
