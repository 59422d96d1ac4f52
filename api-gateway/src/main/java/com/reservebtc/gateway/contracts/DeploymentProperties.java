package com.reservebtc.gateway.contracts;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The deployment the system indexes, in the form the indexer reads it ({@code rbtc.contracts.*},
 * the same environment variables), as the gateway registers it in {@code system_contracts}.
 *
 * @param oracleAggregator OracleAggregator address, or empty
 * @param synth RBTCSynth address, or empty
 * @param feeVault FeeVault address, or empty
 * @param feePolicy FeePolicy address, or empty
 * @param wrbtc VaultWrBTC address, or empty
 * @param yieldPool YieldScalesPool address, or empty
 * @param startBlock first block of the simple form's contracts
 * @param deployments contracts with a start block each (as the indexer's list form)
 * @param version the deployment's version label, stored with each contract
 */
@ConfigurationProperties("rbtc.contracts")
public record DeploymentProperties(
    @DefaultValue("") String oracleAggregator,
    @DefaultValue("") String synth,
    @DefaultValue("") String feeVault,
    @DefaultValue("") String feePolicy,
    @DefaultValue("") String wrbtc,
    @DefaultValue("") String yieldPool,
    Long startBlock,
    @DefaultValue List<Deployment> deployments,
    @DefaultValue("1") String version) {

  /**
   * @param kind ORACLE_AGGREGATOR, RBTC_SYNTH, FEE_VAULT, FEE_POLICY, VAULT_WRBTC or YIELD_POOL
   * @param address the contract's address
   * @param startBlock its first block
   * @param version its version label; the deployment's when empty
   */
  public record Deployment(String kind, String address, Long startBlock, String version) {}
}
