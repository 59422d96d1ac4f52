package com.reservebtc.yield.participants;

import com.reservebtc.schemas.avro.LoyaltyTier;
import com.reservebtc.yield.scales.LoyaltyTiers;
import com.reservebtc.yield.scales.YieldMath;
import java.math.BigInteger;

/**
 * What accrual needs of a participant. Times are epoch seconds of chain blocks, never wall-clock
 * time, so replaying the same events yields the same numbers.
 *
 * @param baseUnits the yield base: contribution in sats (virtual USDT for a trader)
 * @param accruedYield yield settled so far
 * @param lastAccrualAt when the yield was last settled
 * @param joinedAt start of the loyalty clock
 */
record Position(long baseUnits, BigInteger accruedYield, long lastAccrualAt, long joinedAt) {

  /**
   * Settles the period since the last accrual at {@code rateBps} and the multiplier of the tier
   * reached at {@code at}, like the contract does before any change of the base. An event older
   * than the last accrual (topics are ordered only per topic) settles nothing and does not move the
   * clock back.
   */
  Accrual accrueTo(long at, BigInteger rateBps) {
    long elapsed = Math.max(0, at - lastAccrualAt);
    LoyaltyTier tier = LoyaltyTiers.tierAt(Math.max(0, at - joinedAt));
    int multiplier = LoyaltyTiers.multiplierPct(tier);
    BigInteger owed = YieldMath.owed(BigInteger.valueOf(baseUnits), rateBps, elapsed, multiplier);
    Position after =
        new Position(baseUnits, accruedYield.add(owed), Math.max(lastAccrualAt, at), joinedAt);
    return new Accrual(elapsed, rateBps, multiplier, owed, after);
  }

  record Accrual(
      long elapsedSeconds,
      BigInteger rateBps,
      int multiplierPct,
      BigInteger owed,
      Position after) {}
}
