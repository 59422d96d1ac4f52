package com.reservebtc.oracle.bitcoin;

/**
 * The outcome of observing one address on every source at one tip. Only {@link Observed} carries a
 * balance; the others carry why there is none, and must never be read as zero.
 */
public sealed interface AddressObservation {

  String btcAddress();

  /** The tip the sources agreed on, or {@code null} when they did not answer or agree on one. */
  ChainTip tip();

  /** Every source answered with the same confirmed balance at the same tip. */
  record Observed(String btcAddress, ChainTip tip, long confirmedSats)
      implements AddressObservation {}

  /** At least one source failed (timeout, HTTP error, garbage, rate limit). */
  record Failed(String btcAddress, ChainTip tip, String reason) implements AddressObservation {}

  /** The sources answered but disagreed (different tips or different balances). */
  record Disagreement(String btcAddress, ChainTip tip, String reason)
      implements AddressObservation {}
}
