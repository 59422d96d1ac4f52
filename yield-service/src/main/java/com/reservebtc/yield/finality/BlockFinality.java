package com.reservebtc.yield.finality;

import com.reservebtc.schemas.avro.Finality;
import java.util.Objects;

/**
 * A block of a chain and how settled it is. Finality is monotone in height: a settled block settles
 * every block below it on the same chain.
 */
public record BlockFinality(long chainId, long blockNumber, Finality finality) {

  public BlockFinality {
    Objects.requireNonNull(finality, "finality");
  }

  /**
   * The position of a state built from the events behind {@code current} plus one at {@code event}:
   * the higher block with the best finality known for it. An event of another chain replaces the
   * position.
   */
  public static BlockFinality latest(BlockFinality current, BlockFinality event) {
    if (current == null
        || current.chainId != event.chainId
        || event.blockNumber > current.blockNumber) {
      return event;
    }
    if (event.blockNumber < current.blockNumber) {
      return current;
    }
    return new BlockFinality(
        current.chainId,
        current.blockNumber,
        ChainHeights.higher(current.finality, event.finality));
  }
}
