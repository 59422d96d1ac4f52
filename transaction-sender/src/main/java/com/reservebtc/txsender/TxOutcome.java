package com.reservebtc.txsender;

import java.util.List;

/** What the node says about a transaction (all versions at one nonce) of the sender's key. */
public sealed interface TxOutcome {

  /** One version was mined and its block is at least the configured confirmations deep. */
  record Mined(Receipt receipt) implements TxOutcome {}

  /**
   * Waiting to be mined, or mined but not yet deep enough, or not mined before the wait ended.
   *
   * @param hashes every version known to the caller, oldest first
   * @param stuck it had waited past the replacement time and could not be replaced because the
   *     max-fee cap allows no further bump (see {@link SenderListener})
   */
  record Pending(List<String> hashes, boolean stuck) implements TxOutcome {

    public Pending {
      hashes = List.copyOf(hashes);
    }
  }

  /**
   * Will not be mined as things stand: unknown to the node (evicted, never arrived, orphaned by a
   * reorg and not put back), its nonce used by a transaction that is none of its versions, or
   * queued behind a nonce no transaction holds. The sender re-reads its nonce when it reports this.
   */
  record Dropped(String reason) implements TxOutcome {}
}
