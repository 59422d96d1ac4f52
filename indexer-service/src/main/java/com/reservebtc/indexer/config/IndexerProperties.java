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
import org.springframework.util.unit.DataSize;

/**
 * The indexer's settings ({@code rbtc.*}); every setting and its default is documented in {@code
 * application.yml}. Construction validates, so a running indexer always has a coherent
 * configuration: at least one contract, no address twice, a reorg window at least as deep as the
 * confirmation depth.
 */
@ConfigurationProperties("rbtc")
public record IndexerProperties(
    @DefaultValue Chain chain,
    @DefaultValue Contracts contracts,
    @DefaultValue Indexer indexer,
    @DefaultValue Kafka kafka) {

  public IndexerProperties {
    // Resolve the contract list now, so a misconfiguration stops the start before anything
    // connects anywhere.
    contracts.all();
    if (indexer.reconcileBlocks() > chain.finalizedDepth()) {
      throw new IllegalArgumentException(
          "rbtc.indexer.reconcile-blocks ("
              + indexer.reconcileBlocks()
              + ") must not exceed rbtc.chain.finalized-depth ("
              + chain.finalizedDepth()
              + "): only the reorg window's records are kept to compare with");
    }
  }

  /** Blocks compared with the node by a reconciliation. */
  public int reconcileBlocks() {
    return indexer.reconcileBlocks() == 0 ? chain.finalizedDepth() : indexer.reconcileBlocks();
  }

  /**
   * The chain to index.
   *
   * @param rpcUrl JSON-RPC HTTP endpoint, used when {@code rpcUrls} is empty
   * @param rpcUrls JSON-RPC HTTP endpoints in order of preference; the next one is used while one
   *     fails or rate-limits
   * @param websocket whether to follow new heads over WebSocket ({@code eth_subscribe newHeads})
   * @param wsUrls WebSocket endpoints in order of preference; empty: the RPC URLs with http(s)
   *     replaced by ws(s) (nodes such as Anvil and MegaETH serve both on one port)
   * @param id the chain id the node must report; a different one stops the start
   * @param confirmationDepth blocks below the head at which a block is marked CONFIRMED
   * @param finalizedDepth blocks below the head at which a block is marked FINALIZED; also how far
   *     back reorgs are detected and retracted (the reorg window)
   * @param nodeFinality take CONFIRMED / FINALIZED from the node's {@code safe} / {@code finalized}
   *     block tags where it answers them (the depths otherwise); the reorg window then reaches down
   *     to the node's finalized block when that is deeper than {@code finalizedDepth}
   */
  public record Chain(
      @DefaultValue("http://127.0.0.1:18545") String rpcUrl,
      @DefaultValue List<String> rpcUrls,
      @DefaultValue("true") boolean websocket,
      @DefaultValue List<String> wsUrls,
      @DefaultValue("31337") long id,
      @DefaultValue("12") int confirmationDepth,
      @DefaultValue("64") int finalizedDepth,
      @DefaultValue("true") boolean nodeFinality) {

    public Chain {
      rpcUrls = rpcUrls == null ? List.of() : clean(rpcUrls);
      wsUrls = wsUrls == null ? List.of() : clean(wsUrls);
      if (rpcUrls.isEmpty() && (rpcUrl == null || rpcUrl.isBlank())) {
        throw new IllegalArgumentException("rbtc.chain.rpc-url or rbtc.chain.rpc-urls must be set");
      }
      for (String url : rpcUrls.isEmpty() ? List.of(rpcUrl.trim()) : rpcUrls) {
        requireScheme("rbtc.chain.rpc-urls", url, "http://", "https://");
      }
      for (String url : wsUrls) {
        requireScheme("rbtc.chain.ws-urls", url, "ws://", "wss://");
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

    /** The JSON-RPC endpoints, in order of preference. */
    public List<String> endpoints() {
      return rpcUrls.isEmpty() ? List.of(rpcUrl.trim()) : rpcUrls;
    }

    /** The WebSocket endpoints, in order of preference; empty when WebSocket is off. */
    public List<String> webSocketEndpoints() {
      if (!websocket) {
        return List.of();
      }
      if (!wsUrls.isEmpty()) {
        return wsUrls;
      }
      return endpoints().stream().map(url -> "ws" + url.substring("http".length())).toList();
    }

    private static List<String> clean(List<String> urls) {
      return urls.stream().map(String::trim).filter(u -> !u.isEmpty()).toList();
    }

    private static void requireScheme(String key, String url, String... schemes) {
      for (String scheme : schemes) {
        if (url.startsWith(scheme)) {
          return;
        }
      }
      throw new IllegalArgumentException(
          key + " entries must start with " + String.join(" or ", schemes) + ": " + url);
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
   * @param pollInterval pause between head checks once caught up without a WebSocket
   * @param livePollInterval head check over HTTP while the WebSocket delivers heads, in case a
   *     notification is lost
   * @param maxBlockRange most blocks asked of one eth_getLogs call
   * @param targetLogsPerRequest eth_getLogs ranges grow while they return fewer logs and shrink
   *     when they return many more
   * @param fetchConcurrency log ranges fetched (and decoded) at once while catching up
   * @param maxRecordsPerTransaction a Kafka transaction gathers fetched ranges up to this many
   *     records
   * @param rpcBatchSize most calls in one JSON-RPC batch
   * @param rpcTimeout timeout of one JSON-RPC HTTP call
   * @param rpcRetryBudget how long one call keeps trying (other endpoints, back-offs) before the
   *     pass fails and is retried
   * @param maxRetryBackoff longest pause between retries after a failed pass
   * @param maxWebsocketBackoff longest pause between WebSocket reconnection attempts
   * @param progressLogInterval how often progress is logged while catching up
   * @param reconcileInterval how often the recent blocks are compared with the node; 0 disables
   * @param reconcileBlocks how many of the newest indexed blocks are compared (at most the reorg
   *     window, whose records the indexer keeps); 0 means the whole window
   * @param maxLogsPerResponse an eth_getLogs answer over several blocks with more logs is abandoned
   *     while it is read and its range split, so a burst cannot fill the heap
   * @param maxResponseBytes the same bound in bytes
   * @param rewindHistoryBlocks blocks below the reorg window whose records stay in the database, so
   *     an operator rewind (and the recovery from a reorg deeper than the window) can retract them
   * @param onDeletedCursor what a tombstone under the chain's key of the cursor topic leads to
   */
  public record Indexer(
      @DefaultValue("250ms") Duration pollInterval,
      @DefaultValue("2s") Duration livePollInterval,
      @DefaultValue("2000") int maxBlockRange,
      @DefaultValue("5000") int targetLogsPerRequest,
      @DefaultValue("4") int fetchConcurrency,
      @DefaultValue("20000") int maxRecordsPerTransaction,
      @DefaultValue("100") int rpcBatchSize,
      @DefaultValue("10s") Duration rpcTimeout,
      @DefaultValue("30s") Duration rpcRetryBudget,
      @DefaultValue("10s") Duration maxRetryBackoff,
      @DefaultValue("30s") Duration maxWebsocketBackoff,
      @DefaultValue("5s") Duration progressLogInterval,
      @DefaultValue("60s") Duration reconcileInterval,
      @DefaultValue("0") int reconcileBlocks,
      @DefaultValue("20000") int maxLogsPerResponse,
      @DefaultValue("32MB") DataSize maxResponseBytes,
      @DefaultValue("1000") int rewindHistoryBlocks,
      @DefaultValue("refuse") OnDeletedCursor onDeletedCursor) {

    public Indexer {
      requirePositive("rbtc.indexer.poll-interval", pollInterval);
      requirePositive("rbtc.indexer.live-poll-interval", livePollInterval);
      requirePositive("rbtc.indexer.rpc-timeout", rpcTimeout);
      requirePositive("rbtc.indexer.rpc-retry-budget", rpcRetryBudget);
      requirePositive("rbtc.indexer.max-retry-backoff", maxRetryBackoff);
      requirePositive("rbtc.indexer.max-websocket-backoff", maxWebsocketBackoff);
      requirePositive("rbtc.indexer.progress-log-interval", progressLogInterval);
      if (reconcileInterval == null || reconcileInterval.isNegative()) {
        throw new IllegalArgumentException(
            "rbtc.indexer.reconcile-interval must be >= 0, was " + reconcileInterval);
      }
      requireAtLeast("rbtc.indexer.max-block-range", maxBlockRange, 1);
      requireAtLeast("rbtc.indexer.target-logs-per-request", targetLogsPerRequest, 1);
      requireAtLeast("rbtc.indexer.fetch-concurrency", fetchConcurrency, 1);
      requireAtLeast("rbtc.indexer.max-records-per-transaction", maxRecordsPerTransaction, 1);
      requireAtLeast("rbtc.indexer.rpc-batch-size", rpcBatchSize, 1);
      requireAtLeast("rbtc.indexer.reconcile-blocks", reconcileBlocks, 0);
      requireAtLeast("rbtc.indexer.max-logs-per-response", maxLogsPerResponse, 1);
      requireAtLeast("rbtc.indexer.rewind-history-blocks", rewindHistoryBlocks, 0);
      if (maxResponseBytes == null || maxResponseBytes.toBytes() < 1024) {
        throw new IllegalArgumentException(
            "rbtc.indexer.max-response-bytes must be at least 1KB, was " + maxResponseBytes);
      }
    }
  }

  /** What a deleted cursor (a tombstone under the chain's key) leads to. */
  public enum OnDeletedCursor {
    /** Wait for an operator (health DOWN): starting over would publish every event again. */
    REFUSE,
    /** Index again from the configured start blocks, publishing every event again. */
    START_OVER
  }

  /**
   * What the Kafka topics must offer at start (see {@code com.reservebtc.schemas.TopicCheck}).
   *
   * @param minReplication least replication factor of every topic the indexer uses (production 3; 1
   *     only for a local single-broker stack)
   * @param minInsyncReplicas least {@code min.insync.replicas} of those topics (production 2)
   */
  public record Kafka(
      @DefaultValue("3") int minReplication, @DefaultValue("2") int minInsyncReplicas) {

    public Kafka {
      requireAtLeast("rbtc.kafka.min-replication", minReplication, 1);
      requireAtLeast("rbtc.kafka.min-insync-replicas", minInsyncReplicas, 1);
    }
  }

  private static void requireAtLeast(String key, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(key + " must be >= " + min + ", was " + value);
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
