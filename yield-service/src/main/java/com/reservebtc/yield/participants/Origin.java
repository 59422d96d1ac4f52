package com.reservebtc.yield.participants;

import com.reservebtc.schemas.avro.ChainLogRef;
import com.reservebtc.schemas.avro.Finality;
import com.reservebtc.yield.finality.BlockFinality;

/**
 * The chain log an audit row stems from: its chain, block and finality. A retraction's rows have no
 * finality: the log they undo is not on the canonical chain, so no marker may settle it.
 */
record Origin(long chainId, long blockNumber, Finality finality) {

  static Origin of(BlockFinality block) {
    return new Origin(block.chainId(), block.blockNumber(), block.finality());
  }

  static Origin retraction(ChainLogRef log) {
    return new Origin(log.getChainId(), log.getBlockNumber(), null);
  }

  String finalityName() {
    return finality == null ? null : finality.name();
  }
}
