package com.reservebtc.yield.scales;

import java.math.BigInteger;

/**
 * Pool-wide supply as this service sees it: the sum of all participants' rBTC-SYNTH balances from
 * token events, and the highest sum ever reached (the peak only grows, as on chain). A peak reached
 * only through a mint that a reorg later removed is kept.
 */
public record PoolScales(long totalSupplySats, long peakSupplySats) {

  public PoolScales {
    if (peakSupplySats < 0) {
      throw new IllegalArgumentException("peak supply must not be negative: " + peakSupplySats);
    }
  }

  public PoolScales withSupplyChange(long deltaSats) {
    long total = Math.addExact(totalSupplySats, deltaSats);
    return new PoolScales(total, Math.max(peakSupplySats, total));
  }

  public BigInteger rbtcScale() {
    // An incomplete history can make the sum negative for a while; no holder, no scale.
    return YieldMath.rbtcScale(
        BigInteger.valueOf(Math.max(0, totalSupplySats)), BigInteger.valueOf(peakSupplySats));
  }

  public BigInteger rateBps() {
    return YieldMath.rateBps(rbtcScale());
  }
}
