package com.reservebtc.contracts.deploy;

import java.math.BigInteger;
import java.util.Objects;

/**
 * Constructor arguments of one protocol deployment.
 *
 * @param committee the only address allowed to sync, register users and run emergency burns; also
 *     the fee vault's fee collector
 * @param pctBps percentage part of the fee, in basis points of the minted value
 * @param fixedWei fixed part of every sync fee
 * @param weiPerSat value of one satoshi in wei, used to price the percentage part (0, like a zero
 *     {@code pctBps}, makes a fixed-fee-only policy, which the deployed FeePolicy accepts)
 * @param maxFeePerSyncWei a sync whose fee is strictly greater reverts with FeeCapExceeded
 * @param minConfirmations informational on-chain; the oracle enforces confirmation depth
 * @param poolOracle the only address allowed to register holders in the yield pool and change their
 *     contributions; the committee unless set otherwise (a key of its own lets a second service
 *     send pool transactions without sharing the committee's nonces)
 */
public record DeploymentParameters(
    String committee,
    BigInteger pctBps,
    BigInteger fixedWei,
    BigInteger weiPerSat,
    BigInteger maxFeePerSyncWei,
    long minConfirmations,
    String poolOracle) {

  public static final BigInteger DEFAULT_PCT_BPS = BigInteger.valueOf(100);
  public static final BigInteger DEFAULT_FIXED_WEI = BigInteger.TEN.pow(15);
  public static final BigInteger DEFAULT_WEI_PER_SAT = BigInteger.TEN.pow(12);
  public static final BigInteger DEFAULT_MAX_FEE_PER_SYNC_WEI = BigInteger.TEN.pow(16);
  public static final long DEFAULT_MIN_CONFIRMATIONS = 6;

  public DeploymentParameters {
    committee = Addresses.require("committee", committee);
    requireNonNegative("pctBps", pctBps);
    requireNonNegative("fixedWei", fixedWei);
    requireNonNegative("weiPerSat", weiPerSat);
    requirePositive("maxFeePerSyncWei", maxFeePerSyncWei);
    if (minConfirmations < 0) {
      throw new IllegalArgumentException("minConfirmations must be >= 0, was " + minConfirmations);
    }
    poolOracle = Addresses.require("poolOracle", poolOracle);
  }

  /**
   * The values of the deployed protocol: 1 % of the minted value at 1e12 wei per sat plus 0.001 ETH
   * per sync, capped at 0.01 ETH, 6 confirmations.
   */
  public static DeploymentParameters defaults(String committee) {
    return new DeploymentParameters(
        committee,
        DEFAULT_PCT_BPS,
        DEFAULT_FIXED_WEI,
        DEFAULT_WEI_PER_SAT,
        DEFAULT_MAX_FEE_PER_SYNC_WEI,
        DEFAULT_MIN_CONFIRMATIONS,
        committee);
  }

  public DeploymentParameters withMinConfirmations(long value) {
    return new DeploymentParameters(
        committee, pctBps, fixedWei, weiPerSat, maxFeePerSyncWei, value, poolOracle);
  }

  public DeploymentParameters withMaxFeePerSyncWei(BigInteger value) {
    return new DeploymentParameters(
        committee, pctBps, fixedWei, weiPerSat, value, minConfirmations, poolOracle);
  }

  /** The same deployment with its own yield pool oracle instead of the committee. */
  public DeploymentParameters withPoolOracle(String value) {
    return new DeploymentParameters(
        committee, pctBps, fixedWei, weiPerSat, maxFeePerSyncWei, minConfirmations, value);
  }

  private static void requireNonNegative(String name, BigInteger value) {
    Objects.requireNonNull(value, name);
    if (value.signum() < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, was " + value);
    }
  }

  private static void requirePositive(String name, BigInteger value) {
    Objects.requireNonNull(value, name);
    if (value.signum() <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, was " + value);
    }
  }
}
