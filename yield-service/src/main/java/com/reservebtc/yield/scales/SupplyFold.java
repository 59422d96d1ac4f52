package com.reservebtc.yield.scales;

/**
 * A chain's rBTC-SYNTH supply and its peak, folded over the mints and burns in chain order, and the
 * pool rate they give. Taken from the canonical events in chain order (not from a running total in
 * consumption order), so every replay gets the same rates.
 */
public final class SupplyFold {

  private long supply;
  private long peak;

  /** Starts after a mint or burn whose supply and peak were {@code supply} and {@code peak}. */
  public SupplyFold(long supply, long peak) {
    this.supply = supply;
    this.peak = peak;
  }

  /** The rate in force now, in basis points. */
  public int rateBps() {
    return new PoolScales(supply, peak).rateBps().intValueExact();
  }

  /** Moves the supply by a mint ({@code > 0}) or burn ({@code < 0}); the peak only grows. */
  public void move(long deltaSats) {
    supply = Math.addExact(supply, deltaSats);
    peak = Math.max(peak, supply);
  }

  public long supply() {
    return supply;
  }

  public long peak() {
    return peak;
  }
}
