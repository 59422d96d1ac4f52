package com.reservebtc.indexer.reorg;

/**
 * The chain reorganised below the oldest block the indexer still remembers, so it cannot tell which
 * published records to retract. Indexing stops: an operator must decide (raise the finalized depth,
 * re-index from a known block).
 */
public class ReorgTooDeepException extends RuntimeException {

  public ReorgTooDeepException(String message) {
    super(message);
  }
}
