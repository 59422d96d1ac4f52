package com.reservebtc.yield.scales;

import java.math.BigInteger;

/**
 * The YieldScalesPool formulas in exact integer arithmetic, rounding down exactly where the
 * contract's uint256 division does:
 *
 * <ul>
 *   <li>{@code rbtcScale = totalSupply * 100 / peakSupply} (0 while the peak is 0)
 *   <li>{@code rate_bps = min(usdtScale * rbtcScale * 500 / 1e6, 2000)} with {@code usdtScale =
 *       100}
 *   <li>{@code owed = base * rate_bps * seconds * multiplier / (10000 * 31536000 * 100)}
 * </ul>
 */
public final class YieldMath {

  public static final BigInteger USDT_SCALE = BigInteger.valueOf(100);
  public static final BigInteger MAX_RATE_BPS = BigInteger.valueOf(2000);
  public static final long SECONDS_PER_YEAR = 31_536_000L;

  private static final BigInteger HUNDRED = BigInteger.valueOf(100);
  private static final BigInteger RATE_FACTOR = BigInteger.valueOf(500);
  private static final BigInteger RATE_DIVISOR = BigInteger.valueOf(1_000_000);
  private static final BigInteger OWED_DIVISOR =
      BigInteger.valueOf(10_000).multiply(BigInteger.valueOf(SECONDS_PER_YEAR)).multiply(HUNDRED);

  private YieldMath() {}

  public static BigInteger rbtcScale(BigInteger totalSupply, BigInteger peakSupply) {
    if (peakSupply.signum() == 0) {
      return BigInteger.ZERO;
    }
    return totalSupply.multiply(HUNDRED).divide(peakSupply);
  }

  public static BigInteger rateBps(BigInteger rbtcScale) {
    BigInteger rate = USDT_SCALE.multiply(rbtcScale).multiply(RATE_FACTOR).divide(RATE_DIVISOR);
    return rate.min(MAX_RATE_BPS);
  }

  /**
   * Yield owed for one period.
   *
   * @param base the holder's contribution in sats (a trader's virtual USDT)
   * @param rateBps the yearly rate in basis points
   * @param seconds length of the period
   * @param multiplierPct the loyalty multiplier in percent (110, 125, 150)
   */
  public static BigInteger owed(
      BigInteger base, BigInteger rateBps, long seconds, int multiplierPct) {
    if (base.signum() < 0 || rateBps.signum() < 0 || seconds < 0 || multiplierPct < 0) {
      throw new IllegalArgumentException(
          "yield inputs must not be negative: base="
              + base
              + " rate="
              + rateBps
              + " seconds="
              + seconds
              + " multiplier="
              + multiplierPct);
    }
    return base.multiply(rateBps)
        .multiply(BigInteger.valueOf(seconds))
        .multiply(BigInteger.valueOf(multiplierPct))
        .divide(OWED_DIVISOR);
  }
}
