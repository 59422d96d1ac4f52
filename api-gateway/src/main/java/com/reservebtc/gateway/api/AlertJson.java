package com.reservebtc.gateway.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An emergency-burn alert of the emergency-burn service, as shown by {@code /emergency-burns} and
 * pushed as the {@code alert} event of the stream.
 *
 * @param kind AT_RISK (the fee vault cannot pay a downward sync: the next decrease of the Bitcoin
 *     balance burns everything), CLEARED (no longer at risk), BURNED (an emergency burn happened),
 *     OUTGOING_UNCONFIRMED (coins of the bound addresses are being spent by transactions not yet
 *     deep enough to be synced) or OUTGOING_CLEARED (no such transaction any more)
 * @param rbtcBalanceSats the rBTC balance the alert was computed from; null for BURNED
 * @param feeVaultBalanceWei the fee-vault balance the alert was computed from, decimal wei
 * @param requiredFeeWei the fee of a downward sync, decimal wei
 * @param eventId {@code chainId:txHash:logIndex} of the chain event that caused the alert
 * @param occurredAt block time of that event, or when the oracle observed the spends (UTC, Z)
 * @param pendingSpentSats OUTGOING_UNCONFIRMED: the sats being spent; null otherwise
 */
public record AlertJson(
    @JsonProperty("kind") String kind,
    @JsonProperty("message") String message,
    @JsonProperty("rbtcBalanceSats") Long rbtcBalanceSats,
    @JsonProperty("feeVaultBalanceWei") String feeVaultBalanceWei,
    @JsonProperty("requiredFeeWei") String requiredFeeWei,
    @JsonProperty("eventId") String eventId,
    @JsonProperty("occurredAt") String occurredAt,
    @JsonProperty("pendingSpentSats") Long pendingSpentSats) {}
