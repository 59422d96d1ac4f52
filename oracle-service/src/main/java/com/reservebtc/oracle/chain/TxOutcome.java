package com.reservebtc.oracle.chain;

import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** What the node says about a transaction the committee sent. */
public sealed interface TxOutcome {

  /** Mined, {@code rbtc.oracle.receipt-confirmations} deep: the receipt of the block it is in. */
  record Mined(TransactionReceipt receipt) implements TxOutcome {}

  /**
   * Known to the node and waiting to be mined, or mined but not yet deep enough (or its outcome not
   * known before a timeout).
   */
  record Pending() implements TxOutcome {}

  /**
   * Will not be mined as things stand: evicted from the mempool, never arrived, orphaned by a reorg
   * and not put back, or queued behind a nonce that no transaction holds (a reorg orphaned an
   * earlier one).
   */
  record Dropped(String reason) implements TxOutcome {}
}
