package com.reservebtc.oracle.bitcoin;

/**
 * A change in the health of the Bitcoin sources that an operator should hear about. Raised once per
 * change, not per cycle.
 *
 * @param kind what changed
 * @param source the alias of the source concerned, or {@code null} for all of them
 * @param message what happened and what to do, naming sources by alias only
 */
public record SourceAlert(Kind kind, String source, String message) {

  public enum Kind {
    /** A source is no longer used: wrong network, tip regressed, stalled, or not yet verified. */
    SOURCE_EXCLUDED,
    /** An excluded source is used again. */
    SOURCE_READMITTED,
    /** No quorum of sources agrees on the block balances are read at: nothing is synced. */
    SOURCES_DISAGREE,
    /** A quorum agrees again after a disagreement. */
    SOURCES_AGREE
  }

  /** Receives alerts; called on the observing thread. */
  @FunctionalInterface
  public interface Listener {
    void alert(SourceAlert alert);
  }
}
