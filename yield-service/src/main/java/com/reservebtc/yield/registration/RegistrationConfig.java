package com.reservebtc.yield.registration;

import com.reservebtc.schemas.Keys;
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
      YieldProperties yield,
      ChainProperties chain,
      ContractsProperties contracts,
      RegistrationRepository repository) {
    if (!yield.onChain()) {
      log.info(
          "yield pool registration: OFF-CHAIN ONLY. No pool oracle key is configured"
              + " (RBTC_YIELD_POOL_ORACLE_KEY), so joinAsBitcoinHolder is never sent; participants"
              + " are tracked here with registered_on_chain=false until a ParticipantJoined event"
              + " is indexed. (A key shared with the oracle service would collide on nonces.)");
      return () -> false;
    }
    if (contracts.yieldPool() == null || contracts.yieldPool().isBlank()) {
      throw new IllegalStateException(
          "rbtc.yield.pool-oracle-key is set but rbtc.contracts.yield-pool"
              + " (RBTC_CONTRACTS_YIELD_POOL) is not: set the pool address or unset the key");
    }
    String pool = Keys.user(contracts.yieldPool());
    PoolRegistrar registrar = PoolRegistrar.connect(yield, chain, pool, repository);
    log.info(
        "automatic pool registration enabled: pool {} on chain {} via {}, oracle address {}",
        pool,
        chain.chainId(),
        chain.rpcUrl(),
        registrar.oracleAddress());
    return registrar;
  }
}
