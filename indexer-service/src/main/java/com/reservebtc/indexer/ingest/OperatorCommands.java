package com.reservebtc.indexer.ingest;

/** What an operator may ask of the running ingest loop (on the indexer's internal port). */
public interface OperatorCommands {

  /**
   * Retracts every published record above {@code toBlock} and makes indexing go on from {@code
   * toBlock + 1}; runs on the ingest thread between two passes, so it never races a pass.
   *
   * @throws IllegalArgumentException if the rewind is not possible (the message says why and what
   *     is)
   * @throws IllegalStateException if the loop is not running or another rewind is under way
   */
  Rewound rewind(long toBlock);
}
