package com.reservebtc.yield.pool;

import com.reservebtc.schemas.Keys;
import com.reservebtc.txsender.RpcEndpoint;
import com.reservebtc.txsender.SigningKey;
import com.reservebtc.txsender.TransactionSender;
import com.reservebtc.txsender.TxSettings;
import com.reservebtc.yield.registration.ChainProperties;
import com.reservebtc.yield.registration.ContractsProperties;
import com.reservebtc.yield.registration.YieldProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;

/**
 * Connects to the pool when its address is configured, and builds the one sender of the pool oracle
 * key when the key is. Says which in one startup line; the RPC URL is shown as scheme, host and
 * port only and the key never.
 */
@Configuration(proxyBeanMethods = false)
public class PoolChainConfig {

  private static final Logger log = LoggerFactory.getLogger(PoolChainConfig.class);

  /** {@code rbtc.tx.*}, each unset value left to the sender's default (application.yml). */
  @Bean
  TxSettings txSettings(Environment environment) {
    return Binder.get(environment).bindOrCreate("rbtc.tx", TxSettings.class);
  }

  @Bean(destroyMethod = "close")
  public PoolAccess poolAccess(
      YieldProperties yield,
      ChainProperties chain,
      ContractsProperties contracts,
      TxSettings tx,
      ObjectProvider<MeterRegistry> meters,
      ObjectProvider<PoolSenderAlerts> alerts) {
    boolean hasPool = contracts.yieldPool() != null && !contracts.yieldPool().isBlank();
    if (yield.onChain() && !hasPool) {
      throw new IllegalStateException(
          "rbtc.yield.pool-oracle-key is set but rbtc.contracts.yield-pool"
              + " (RBTC_CONTRACTS_YIELD_POOL) is not: set the pool address or unset the key");
    }
    if (!hasPool) {
      log.info("yield pool: no pool address (RBTC_CONTRACTS_YIELD_POOL): the pool is not followed");
      return PoolAccess.off();
    }
    String address = Keys.user(contracts.yieldPool());
    RpcEndpoint endpoint =
        RpcEndpoint.of(chain.rpcUrl(), "rbtc.chain.rpc-url (RBTC_CHAIN_RPC_URL)");
    Web3j web3j = endpoint.connect(chain.requestTimeout());
    PoolClient pool = new PoolClient(web3j, endpoint, address);
    if (!yield.onChain()) {
      log.info(
          "yield pool {} on chain {} via {}: no pool oracle key (RBTC_YIELD_POOL_ORACLE_KEY), so"
              + " nothing is sent; contributions out of step are recorded with the call that would"
              + " fix them",
          address,
          chain.chainId(),
          endpoint);
      return new PoolAccess(web3j, pool, null);
    }
    Credentials key =
        SigningKey.fromHex(
            yield.poolOracleKey(), "rbtc.yield.pool-oracle-key (RBTC_YIELD_POOL_ORACLE_KEY)");
    TransactionSender sender =
        new TransactionSender(
            web3j,
            endpoint,
            key,
            tx.forChain(chain.chainId()),
            meters.getIfAvailable(),
            alerts.getIfAvailable());
    log.info(
        "yield pool {} on chain {} via {}: holders are registered and their contributions kept in"
            + " step by the pool oracle {}",
        address,
        chain.chainId(),
        endpoint,
        sender.address());
    return new PoolAccess(web3j, pool, sender);
  }
}
