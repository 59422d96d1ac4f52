package com.reservebtc.yield.finality;

import com.reservebtc.schemas.avro.Finality;

/**
 * A table that keeps the finality of chain logs. {@link BlockMarkers} calls every implementation in
 * the marker's transaction.
 */
public interface FinalityUpgrade {

  /**
   * Raises to {@code target} the finality of every row of {@code chainId} at or below {@code
   * blockNumber} whose finality is lower (never lowers one); returns how many rows changed.
   */
  int upgradeFinality(long chainId, long blockNumber, Finality target);
}
