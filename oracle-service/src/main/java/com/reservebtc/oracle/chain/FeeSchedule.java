package com.reservebtc.oracle.chain;

import java.math.BigInteger;
import java.util.Objects;

/**
 * The deployed fee parameters: FeePolicy's {@code pctBps, fixedWei, weiPerSat} and the aggregator's
 * {@code maxFeePerSyncWei}. All are immutables on-chain, so one read per deployment is enough.
 *
 * <p>{@link #quote} mirrors {@code FeePolicy.quoteFees} exactly (integer division included), so the
 * oracle can size syncs that the aggregator will not reject with {@code FeeCapExceeded}.
 */
public record FeeSchedule(
    BigInteger pctBps, BigInteger fixedWei, BigInteger weiPerSat, BigInteger maxFeePerSyncWei) {

  private static final BigInteger BPS = BigInteger.valueOf(10_000);
  private static final BigInteger INT64_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  public FeeSchedule {
    Objects.requireNonNull(pctBps, "pctBps");
    Objects.requireNonNull(fixedWei, "fixedWei");
    Objects.requireNonNull(weiPerSat, "weiPerSat");
    Objects.requireNonNull(maxFeePerSyncWei, "maxFeePerSyncWei");
  }

  /** The fee the aggregator charges for a sync changing the balance by {@code deltaSats}. */
  public BigInteger quote(long deltaSats) {
    BigInteger fee = fixedWei;
    if (deltaSats > 0) {
      fee = fee.add(BigInteger.valueOf(deltaSats).multiply(weiPerSat).multiply(pctBps).divide(BPS));
    }
    return fee;
  }

  /** Whether a sync of {@code deltaSats} passes the cap (the cap is strict: fee > cap reverts). */
  public boolean withinCap(long deltaSats) {
    return quote(deltaSats).compareTo(maxFeePerSyncWei) <= 0;
  }

  /**
   * The largest upward delta whose fee is within the cap: the largest d with {@code floor(d * w * p
   * / 10000) + fixed <= cap}, i.e. {@code d <= ((cap - fixed + 1) * 10000 - 1) / (w * p)}. {@link
   * Long#MAX_VALUE} when the percentage part is zero; 0 when even the fixed fee exceeds the cap, in
   * which case no sync can ever succeed.
   */
  public long maxUpwardDelta() {
    BigInteger headroom = maxFeePerSyncWei.subtract(fixedWei);
    if (headroom.signum() < 0) {
      return 0;
    }
    BigInteger perSat = weiPerSat.multiply(pctBps);
    if (perSat.signum() == 0) {
      return Long.MAX_VALUE;
    }
    BigInteger max =
        headroom.add(BigInteger.ONE).multiply(BPS).subtract(BigInteger.ONE).divide(perSat);
    return max.min(INT64_MAX).longValueExact();
  }
}
