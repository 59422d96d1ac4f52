package com.reservebtc.oracle.reserves;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The attestation key, required (and checked at start) while proof of reserves is enabled. */
@Configuration(proxyBeanMethods = false)
class ReservesConfiguration {

  private static final Logger log = LoggerFactory.getLogger(ReservesConfiguration.class);

  @Bean
  @ConditionalOnProperty(
      name = "rbtc.reserves.enabled",
      havingValue = "true",
      matchIfMissing = true)
  AttestationKey attestationKey(ReservesProperties properties) {
    AttestationKey key = AttestationKey.load(properties);
    log.info(
        "Proof-of-reserves attestations are signed by {} (publish this address; users verify"
            + " against it)",
        key.address());
    return key;
  }
}
