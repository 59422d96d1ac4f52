package com.reservebtc.txsender;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Objects;

/**
 * How the sender prices, waits for and replaces transactions. Every field may be given as {@code
 * null} (for example by a configuration binder that found no value) and then takes the documented
 * default.
 *
 * @param chainId chain id signed into every transaction; checked against the node before the first
 *     send. No default.
 * @param maxFeePerGasWei the cap: no version of any transaction pays more than this per gas (wei).
 *     Default 50 gwei.
 * @param baseFeeMultiplier a new transaction's max fee is {@code multiplier × baseFee + priority}
 *     (capped), so it stays mineable while the base fee rises for a few full blocks. Default 2.
 * @param replaceAfter a version pending (unmined) this long is replaced at the same nonce. Default
 *     30 s.
 * @param replacementBumpBps each replacement raises both fee fields by at least this many basis
 *     points over the version it replaces (nodes refuse less than 10 %). Default 1250 (12.5 %).
 * @param receiptConfirmations blocks a receipt must be deep, its own block counting one, before it
 *     is reported as mined. Default 1.
 * @param pollInterval how often a pending transaction is looked at. Default 250 ms.
 * @param awaitTimeout how long {@link TransactionSender#await} waits before answering pending.
 *     Default 2 min.
 * @param gasHeadroomPercent added to the node's gas estimate. Default 25.
 */
public record SenderSettings(
    Long chainId,
    BigInteger maxFeePerGasWei,
    Integer baseFeeMultiplier,
    Duration replaceAfter,
    Integer replacementBumpBps,
    Integer receiptConfirmations,
    Duration pollInterval,
    Duration awaitTimeout,
    Integer gasHeadroomPercent) {

  /** Nodes (geth, reth, besu, nethermind) refuse a replacement that bumps less than 10 %. */
  public static final int MIN_REPLACEMENT_BUMP_BPS = 1000;

  public SenderSettings {
    Objects.requireNonNull(chainId, "chainId: the chain id to sign for is required");
    if (chainId <= 0) {
      throw new IllegalArgumentException("chain id must be positive, was " + chainId);
    }
    maxFeePerGasWei =
        maxFeePerGasWei == null ? BigInteger.valueOf(50_000_000_000L) : maxFeePerGasWei;
    baseFeeMultiplier = baseFeeMultiplier == null ? 2 : baseFeeMultiplier;
    replaceAfter = replaceAfter == null ? Duration.ofSeconds(30) : replaceAfter;
    replacementBumpBps = replacementBumpBps == null ? 1250 : replacementBumpBps;
    receiptConfirmations = receiptConfirmations == null ? 1 : receiptConfirmations;
    pollInterval = pollInterval == null ? Duration.ofMillis(250) : pollInterval;
    awaitTimeout = awaitTimeout == null ? Duration.ofMinutes(2) : awaitTimeout;
    gasHeadroomPercent = gasHeadroomPercent == null ? 25 : gasHeadroomPercent;
    if (maxFeePerGasWei.signum() <= 0) {
      throw new IllegalArgumentException("max-fee-per-gas-wei must be > 0, was " + maxFeePerGasWei);
    }
    if (baseFeeMultiplier < 1 || baseFeeMultiplier > 10) {
      throw new IllegalArgumentException(
          "base-fee-multiplier must be 1..10, was " + baseFeeMultiplier);
    }
    if (replaceAfter.isNegative() || replaceAfter.isZero()) {
      throw new IllegalArgumentException("replace-after must be positive, was " + replaceAfter);
    }
    if (replacementBumpBps < MIN_REPLACEMENT_BUMP_BPS || replacementBumpBps > 10_000) {
      throw new IllegalArgumentException(
          "replacement-bump-bps must be "
              + MIN_REPLACEMENT_BUMP_BPS
              + "..10000 (nodes refuse a bump below 10 %), was "
              + replacementBumpBps);
    }
    if (receiptConfirmations < 1 || receiptConfirmations > 1000) {
      throw new IllegalArgumentException(
          "receipt-confirmations must be 1..1000, was " + receiptConfirmations);
    }
    if (pollInterval.toMillis() < 1 || awaitTimeout.compareTo(pollInterval) < 0) {
      throw new IllegalArgumentException(
          "poll-interval must be >= 1 ms and not longer than await-timeout");
    }
    if (gasHeadroomPercent < 0 || gasHeadroomPercent > 1000) {
      throw new IllegalArgumentException(
          "gas-headroom-percent must be 0..1000, was " + gasHeadroomPercent);
    }
  }

  /** Every default, for {@code chainId}. */
  public static SenderSettings defaults(long chainId) {
    return new SenderSettings(chainId, null, null, null, null, null, null, null, null);
  }

  public SenderSettings withMaxFeePerGasWei(BigInteger value) {
    return new SenderSettings(
        chainId,
        value,
        baseFeeMultiplier,
        replaceAfter,
        replacementBumpBps,
        receiptConfirmations,
        pollInterval,
        awaitTimeout,
        gasHeadroomPercent);
  }

  public SenderSettings withReplaceAfter(Duration value) {
    return new SenderSettings(
        chainId,
        maxFeePerGasWei,
        baseFeeMultiplier,
        value,
        replacementBumpBps,
        receiptConfirmations,
        pollInterval,
        awaitTimeout,
        gasHeadroomPercent);
  }

  public SenderSettings withReceiptConfirmations(int value) {
    return new SenderSettings(
        chainId,
        maxFeePerGasWei,
        baseFeeMultiplier,
        replaceAfter,
        replacementBumpBps,
        value,
        pollInterval,
        awaitTimeout,
        gasHeadroomPercent);
  }

  public SenderSettings withTiming(Duration poll, Duration timeout) {
    return new SenderSettings(
        chainId,
        maxFeePerGasWei,
        baseFeeMultiplier,
        replaceAfter,
        replacementBumpBps,
        receiptConfirmations,
        poll,
        timeout,
        gasHeadroomPercent);
  }
}
