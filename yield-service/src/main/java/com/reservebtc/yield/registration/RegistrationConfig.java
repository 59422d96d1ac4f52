package com.reservebtc.yield.registration;

import com.reservebtc.yield.pool.PoolAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Chooses between on-chain registration (a pool oracle key is configured) and off-chain-only
 * tracking, and says which in one startup log line.
 */
@Configuration(proxyBeanMethods = false)
class RegistrationConfig {

  private static final Logger log = LoggerFactory.getLogger(RegistrationConfig.class);

  @Bean
  Registrations registrations(
      YieldProperties yield, PoolAccess access, RegistrationRepository repository) {
    if (!access.keyConfigured()) {
      log.info(
          "yield pool registration: OFF-CHAIN ONLY. No pool oracle key is configured"
              + " (RBTC_YIELD_POOL_ORACLE_KEY), so joinAsBitcoinHolder is never sent; participants"
              + " are tracked here with registered_on_chain=false until a ParticipantJoined event"
              + " is indexed. (A key shared with the oracle service would collide on nonces.)");
      return () -> false;
    }
    log.info("automatic pool registration enabled");
    return new PoolRegistrar(access, repository, yield);
  }
}
