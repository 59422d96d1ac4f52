package com.reservebtc.gateway;

import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The deployed contract addresses the gateway reports to the frontend ({@code rbtc.contracts.*},
 * shared with the other services). Only the ones the read API shows are bound here.
 *
 * @param yieldPool the YieldScalesPool address, or empty when not deployed
 */
@ConfigurationProperties("rbtc.contracts")
public record ContractProperties(String yieldPool) {

  /** The yield pool address in lowercase, or null when not configured. */
  public String yieldPoolOrNull() {
    return yieldPool == null || yieldPool.isBlank()
        ? null
        : yieldPool.trim().toLowerCase(Locale.ROOT);
  }
}
