package com.reservebtc.oracle.bitcoin;

import java.util.List;

/**
 * The outcome of observing one address on the configured sources. Only {@link Observed} carries a
 * balance; the others carry why there is none, and must never be read as zero.
 */
public sealed interface AddressObservation {

  String btcAddress();

  /**
   * The block the balance is as of ({@code tip − min-confirmations + 1} of the agreeing sources'
   * common height), or {@code null} when the sources did not answer or agree on one.
   */
  BitcoinBlock asOf();

  /**
   * A quorum of sources agreed on the block {@code asOf} and on the address's balance as of it.
   *
   * @param confirmedSats the balance as of {@code asOf}: outputs received and spent in blocks up to
   *     and including it; nothing later (a shallower or mempool spend never lowers it)
   * @param pendingSpentSats what the address spends in shallower blocks and in the mempool (the
   *     largest any agreeing source reports): outgoing, not yet confirmed deep enough
   * @param pendingReceivedSats what it receives in shallower blocks and in the mempool (the
   *     smallest any agreeing source reports)
   * @param sources the aliases of the sources that reported this balance
   */
  record Observed(
      String btcAddress,
      BitcoinBlock asOf,
      long confirmedSats,
      long pendingSpentSats,
      long pendingReceivedSats,
      List<String> sources)
      implements AddressObservation {

    public Observed {
      sources = List.copyOf(sources);
    }
  }

  /** Too few sources answered (timeout, HTTP error, garbage, rate limit, excluded). */
  record Failed(String btcAddress, BitcoinBlock asOf, String reason)
      implements AddressObservation {}

  /** Enough sources answered but no quorum of them agreed (on the block or on the balance). */
  record Disagreement(String btcAddress, BitcoinBlock asOf, String reason)
      implements AddressObservation {}
}
