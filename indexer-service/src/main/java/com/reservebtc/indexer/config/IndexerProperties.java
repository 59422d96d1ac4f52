package com.reservebtc.indexer.config;

import com.reservebtc.indexer.chain.Address;
import com.reservebtc.indexer.deployment.ContractKind;
import com.reservebtc.indexer.deployment.Deployment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The indexer's settings ({@code rbtc.*}); every setting and its default is documented in {@code
 * application.yml}. Construction validates, so a running indexer always has a coherent
 * configuration: at least one contract, no address twice, a reorg window at least as deep as the
 * confirmation depth.
 */
@ConfigurationProperties("rbtc")
public record IndexerProperties(
    @DefaultValue Chain chain, @DefaultValue Contracts contracts, @DefaultValue Indexer indexer) {

  public IndexerProperties {
    // Resolve the contract list now, so a misconfiguration stops the start before anything
    // connects anywhere.
    contracts.all();
  }

  /**
   * The chain to index.
   *
   * @param rpcUrl JSON-RPC HTTP endpoint
   * @param id the chain id the node must report; a different one stops the start
   * @param confirmationDepth blocks below the head at which a block is marked CONFIRMED
   * @param finalizedDepth blocks below the head at which a block is marked FINALIZED; also how far
   *     back reorgs are detected and retracted (the reorg window)
   */
  public record Chain(
      @DefaultValue("http://127.0.0.1:18545") String rpcUrl,
      @DefaultValue("31337") long id,
      @DefaultValue("12") int confirmationDepth,
      @DefaultValue("64") int finalizedDepth) {

    public Chain {
      if (rpcUrl == null || rpcUrl.isBlank()) {
        throw new IllegalArgumentException("rbtc.chain.rpc-url must be set");
      }
      if (id <= 0) {
        throw new IllegalArgumentException("rbtc.chain.id must be positive, was " + id);
      }
      if (confirmationDepth < 0) {
        throw new IllegalArgumentException(
            "rbtc.chain.confirmation-depth must be >= 0, was " + confirmationDepth);
      }
      if (finalizedDepth < 1 || finalizedDepth < confirmationDepth) {
        throw new IllegalArgumentException(
            "rbtc.chain.finalized-depth must be >= 1 and >= rbtc.chain.confirmation-depth ("
                + confirmationDepth
                + "), was "
                + finalizedDepth);
      }
    }
  }

  /**
   * The contracts to index, in a list ({@code deployments}) and/or in the simple one-per-kind form
   * the local stack writes ({@code oracle-aggregator}, {@code synth}, ... with one shared {@code
   * start-block}).
   */
  public record Contracts(
      String oracleAggregator,
      String synth,
      String feeVault,
      String wrbtc,
      String yieldPool,
      Long startBlock,
      @DefaultValue List<DeploymentEntry> deployments) {

    public Contracts {
      deployments = deployments == null ? List.of() : List.copyOf(deployments);
    }

    /** Every configured deployment, list entries first. */
    public List<Deployment> all() {
      List<Deployment> all = new ArrayList<>();
      for (int i = 0; i < deployments.size(); i++) {
        all.add(deployments.get(i).toDeployment("rbtc.contracts.deployments[" + i + "]"));
      }
      addSimple(all, ContractKind.ORACLE_AGGREGATOR, "oracle-aggregator", oracleAggregator);
      addSimple(all, ContractKind.RBTC_SYNTH, "synth", synth);
      addSimple(all, ContractKind.FEE_VAULT, "fee-vault", feeVault);
      addSimple(all, ContractKind.VAULT_WRBTC, "wrbtc", wrbtc);
      addSimple(all, ContractKind.YIELD_POOL, "yield-pool", yieldPool);
      if (all.isEmpty()) {
        throw new IllegalArgumentException(
            "no contracts configured: set rbtc.contracts.deployments[n].{kind,address,start-block}"
                + " or RBTC_CONTRACTS_ORACLE_AGGREGATOR/_SYNTH/_FEE_VAULT/_WRBTC/_YIELD_POOL"
                + " with RBTC_CONTRACTS_START_BLOCK");
      }
      Set<Address> seen = new HashSet<>();
      for (Deployment deployment : all) {
        if (!seen.add(deployment.address())) {
          throw new IllegalArgumentException(
              "contract address " + deployment.address() + " is configured more than once");
        }
      }
      return List.copyOf(all);
    }

    private void addSimple(List<Deployment> all, ContractKind kind, String key, String address) {
      if (address == null || address.isBlank()) {
        return;
      }
      if (startBlock == null) {
        throw new IllegalArgumentException(
            "rbtc.contracts."
                + key
                + " is set but rbtc.contracts.start-block (RBTC_CONTRACTS_START_BLOCK) is not;"
                + " set it to the deployment block");
      }
      all.add(new Deployment(kind, parse("rbtc.contracts." + key, address), startBlock));
    }
  }

  /** One entry of {@code rbtc.contracts.deployments}. */
  public record DeploymentEntry(ContractKind kind, String address, Long startBlock) {

    Deployment toDeployment(String key) {
      if (kind == null) {
        throw new IllegalArgumentException(key + ".kind must be set");
      }
      if (startBlock == null) {
        throw new IllegalArgumentException(key + ".start-block must be set");
      }
      return new Deployment(kind, parse(key + ".address", address), startBlock);
    }
  }

  /**
   * How the ingest loop runs.
   *
   * @param pollInterval pause between head checks once caught up
   * @param maxBlockRange most blocks asked of one eth_getLogs call (and one Kafka transaction)
   * @param rpcBatchSize most calls in one JSON-RPC batch
   * @param rpcTimeout connect/read timeout of one JSON-RPC HTTP call
   * @param maxRetryBackoff longest pause between retries after a failure
   */
  public record Indexer(
      @DefaultValue("250ms") Duration pollInterval,
      @DefaultValue("2000") int maxBlockRange,
      @DefaultValue("100") int rpcBatchSize,
      @DefaultValue("10s") Duration rpcTimeout,
      @DefaultValue("10s") Duration maxRetryBackoff) {

    public Indexer {
      requirePositive("rbtc.indexer.poll-interval", pollInterval);
      requirePositive("rbtc.indexer.rpc-timeout", rpcTimeout);
      requirePositive("rbtc.indexer.max-retry-backoff", maxRetryBackoff);
      if (maxBlockRange < 1) {
        throw new IllegalArgumentException(
            "rbtc.indexer.max-block-range must be >= 1, was " + maxBlockRange);
      }
      if (rpcBatchSize < 1) {
        throw new IllegalArgumentException(
            "rbtc.indexer.rpc-batch-size must be >= 1, was " + rpcBatchSize);
      }
    }
  }

  private static Address parse(String key, String value) {
    try {
      return Address.of(value == null ? null : value.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
    }
  }

  private static void requirePositive(String key, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(key + " must be positive, was " + value);
    }
  }
}
