package com.reservebtc.yield.finality;

import com.reservebtc.schemas.avro.ChainLogRef;
import com.reservebtc.schemas.avro.Finality;

/**
 * The highest CONFIRMED and FINALIZED markers seen for one chain ({@code -1}: none yet). A marker
 * at height {@code n} settles every block at or below {@code n}.
 */
public record ChainHeights(long chainId, long confirmedBlock, long finalizedBlock) {

  /**
   * The finality of a log in {@code blockNumber}: the higher of what its record says and what the
   * markers already settled.
   */
  public Finality finalityOf(long blockNumber, Finality recorded) {
    Finality byMarkers =
        blockNumber <= finalizedBlock
            ? Finality.FINALIZED
            : blockNumber <= confirmedBlock ? Finality.CONFIRMED : Finality.PENDING;
    return higher(byMarkers, recorded == null ? Finality.PENDING : recorded);
  }

  /** Where {@code log} sits and how settled it is now. */
  public BlockFinality of(ChainLogRef log) {
    return new BlockFinality(
        log.getChainId(),
        log.getBlockNumber(),
        finalityOf(log.getBlockNumber(), log.getFinality()));
  }

  public static Finality higher(Finality a, Finality b) {
    return a.ordinal() >= b.ordinal() ? a : b;
  }
}
