package com.reservebtc.gateway.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One verified Bitcoin address of an EVM address, as in {@code bitcoinAddresses} of {@code GET
 * /api/realtime/bitcoin-addresses}.
 *
 * @param verifiedAt when the oracle verified the signed ownership message
 * @param monitoringStartedAt when monitoring began; null while not monitored
 * @param createdAt when the address was first bound
 */
public record BitcoinAddressJson(
    @JsonProperty("id") long id,
    @JsonProperty("eth_address") String ethAddress,
    @JsonProperty("bitcoin_address") String bitcoinAddress,
    @JsonProperty("network") String network,
    @JsonProperty("verified_at") String verifiedAt,
    @JsonProperty("monitoring_started_at") String monitoringStartedAt,
    @JsonProperty("is_monitoring") boolean monitoring,
    @JsonProperty("created_at") String createdAt) {}
