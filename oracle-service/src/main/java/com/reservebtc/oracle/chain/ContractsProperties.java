package com.reservebtc.oracle.chain;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Addresses of the deployed protocol (shared keys of every service). The oracle needs only the
 * aggregator; it reads the fee policy and fee vault addresses from the aggregator itself so they
 * cannot disagree with what the aggregator uses.
 */
@ConfigurationProperties("rbtc.contracts")
public record ContractsProperties(
    String oracleAggregator,
    String synth,
    String feeVault,
    String feePolicy,
    String wrbtc,
    String yieldPool,
    String committee,
    @DefaultValue("0") long startBlock) {}
