package com.reservebtc.gateway.api;

/**
 * The oracle's latest operation for a user.
 *
 * @param status PLANNED, SUBMITTED, CONFIRMED, REVERTED, FAILED, NEEDS_TOP_UP, SPLIT, SKIPPED,
 *     SOURCE_DISAGREEMENT or EMERGENCY_BURN
 * @param occurredAt when the step happened (UTC, Z)
 */
public record OracleOperationJson(
    String operationId, String status, String occurredAt, String txHash, String detail) {}
