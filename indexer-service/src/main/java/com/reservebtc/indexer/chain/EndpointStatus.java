package com.reservebtc.indexer.chain;

/**
 * One RPC endpoint as {@code /status} shows it.
 *
 * @param name scheme, host and port only: paths and queries often carry API keys
 * @param coolingDownMillis how long the endpoint is still avoided after failures, 0 if usable
 * @param consecutiveFailures failed attempts since its last success
 * @param lastFailure the last failure's message, null if none
 */
public record EndpointStatus(
    String name,
    boolean preferred,
    long coolingDownMillis,
    int consecutiveFailures,
    long requests,
    long failures,
    String lastFailure) {}
