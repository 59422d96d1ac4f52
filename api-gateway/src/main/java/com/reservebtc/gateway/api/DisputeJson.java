package com.reservebtc.gateway.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One YieldScalesPool {@code BalanceDisputed} log of a user: an element of {@code userDisputes} of
 * {@code /disputes} and the {@code dispute} event of the stream.
 *
 * @param reportedBalance the balance the user claims, decimal base units
 * @param oracleBalance the oracle balance the user disputes, decimal base units
 * @param status {@code open} for the user's latest dispute (the pool keeps one per user, and its
 *     resolution emits no log, so the gateway cannot see it being closed), {@code superseded} for
 *     earlier ones
 * @param finality PENDING, CONFIRMED or FINALIZED (RETRACTED on the stream when a reorg removed it)
 */
public record DisputeJson(
    @JsonProperty("tx_hash") String txHash,
    @JsonProperty("block_number") long blockNumber,
    @JsonProperty("block_timestamp") String blockTimestamp,
    @JsonProperty("log_index") int logIndex,
    @JsonProperty("chain_id") long chainId,
    @JsonProperty("user_address") String userAddress,
    @JsonProperty("reported_balance") String reportedBalance,
    @JsonProperty("oracle_balance") String oracleBalance,
    @JsonProperty("status") String status,
    @JsonProperty("finality") String finality) {}
