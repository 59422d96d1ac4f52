package com.reservebtc.oracle.operations;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One row of the operations log. Amounts are sats ({@code long}) and wei ({@link BigInteger}).
 *
 * @param operationId groups the steps of one sync transaction (PLANNED, SUBMITTED, outcome)
 * @param ethAddress the user, lower-case 0x
 * @param previousSats the on-chain balance before, when known
 * @param targetSats the balance this step sets, when known
 * @param deltaSats target minus previous, when known
 * @param feeWei quoted (PLANNED) or charged (CONFIRMED) fee, when known
 * @param txHash lower-case 0x transaction hash, for SUBMITTED and outcomes
 * @param nonce committee nonce, for SUBMITTED and outcomes
 * @param detail human-readable reason or context
 * @param occurredAt when the step was recorded
 */
public record Operation(
    UUID operationId,
    String ethAddress,
    OperationStatus status,
    Long previousSats,
    Long targetSats,
    Long deltaSats,
    BigInteger feeWei,
    String txHash,
    Long nonce,
    String detail,
    Instant occurredAt) {

  public Operation {
    Objects.requireNonNull(operationId, "operationId");
    Objects.requireNonNull(ethAddress, "ethAddress");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(occurredAt, "occurredAt");
  }

  /** A step with only a status and a detail, e.g. SKIPPED. */
  public static Operation of(
      UUID operationId, String ethAddress, OperationStatus status, String detail, Instant at) {
    return new Operation(
        operationId, ethAddress, status, null, null, null, null, null, null, detail, at);
  }

  /** The same operation and amounts with another status, detail and time. */
  public Operation next(OperationStatus newStatus, String newDetail, Instant at) {
    return new Operation(
        operationId,
        ethAddress,
        newStatus,
        previousSats,
        targetSats,
        deltaSats,
        feeWei,
        txHash,
        nonce,
        newDetail,
        at);
  }

  public Operation withTx(String hash, long txNonce) {
    return new Operation(
        operationId,
        ethAddress,
        status,
        previousSats,
        targetSats,
        deltaSats,
        feeWei,
        hash,
        txNonce,
        detail,
        occurredAt);
  }

  public Operation withAmounts(Long previous, Long target, Long delta, BigInteger fee) {
    return new Operation(
        operationId,
        ethAddress,
        status,
        previous,
        target,
        delta,
        fee,
        txHash,
        nonce,
        detail,
        occurredAt);
  }
}
