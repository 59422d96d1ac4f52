package com.reservebtc.gateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A YieldScales participant as the yield service last reported it: {@code participantData} of
 * {@code /yield-status} and the {@code yield} event of the stream.
 *
 * @param participantType 0 Bitcoin holder, 1 trader
 * @param participantTypeName BITCOIN_HOLDER or TRADER
 * @param registeredOnChain joined the YieldScalesPool on chain (else only tracked off-chain)
 * @param tier loyalty tier by time since joining, as of the response time
 * @param multiplierPercent yield multiplier of that tier: 110, 125 or 150
 * @param contributionSats the rBTC contribution (holders) or virtual USDT base (traders)
 * @param accruedYield yield accrued and not claimed as of {@code updatedAt}, decimal base units
 * @param joinedAt when the participant joined (UTC, no zone suffix)
 * @param updatedAt block time of the last change the yield service applied (UTC, no zone suffix)
 * @param pool where the participant stands in the pool on chain; absent until the yield service
 *     reports it
 */
public record YieldParticipantJson(
    @JsonProperty("participantType") int participantType,
    @JsonProperty("participantTypeName") String participantTypeName,
    @JsonProperty("eligible") boolean eligible,
    @JsonProperty("registeredOnChain") boolean registeredOnChain,
    @JsonProperty("tier") String tier,
    @JsonProperty("multiplierPercent") int multiplierPercent,
    @JsonProperty("contributionSats") long contributionSats,
    @JsonProperty("accruedYield") String accruedYield,
    @JsonProperty("joinedAt") String joinedAt,
    @JsonProperty("updatedAt") String updatedAt,
    @JsonProperty("pool") @JsonInclude(JsonInclude.Include.NON_NULL) YieldPoolJson pool) {}
