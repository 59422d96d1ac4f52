package com.reservebtc.oracle.chain;

import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** What the node says about a transaction the committee sent. */
public sealed interface TxOutcome {

  /** Mined: the receipt of the block it is in now. */
  record Mined(TransactionReceipt receipt) implements TxOutcome {}

  /** Known to the node and waiting to be mined (or its outcome not known before a timeout). */
  record Pending() implements TxOutcome {}

  /**
   * Neither mined nor waiting: evicted from the mempool, never arrived, or orphaned by a reorg and
   * not put back. Its nonce is free again.
   */
  record Dropped() implements TxOutcome {}
}
