package com.reservebtc.yield.registration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Deployed contract addresses this service calls.
 *
 * @param yieldPool the YieldScalesPool; required when automatic registration is enabled
 */
@ConfigurationProperties("rbtc.contracts")
public record ContractsProperties(String yieldPool) {}
