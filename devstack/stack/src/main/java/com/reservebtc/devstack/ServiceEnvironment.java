package com.reservebtc.devstack;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The environment a service process gets, following the services' documented configuration
 * variables (Spring relaxed binding).
 *
 * <p>Guarantees: the committee key is given only to the service that holds it, the yield pool's
 * oracle key only to the yield-service, and both are removed from the environment of every other
 * service even if the launcher itself has them; nothing here is ever printed.
 */
final class ServiceEnvironment {

  static final String COMMITTEE_KEY = "RBTC_ORACLE_COMMITTEE_KEY";

  static final String POOL_ORACLE_KEY = "RBTC_YIELD_POOL_ORACLE_KEY";

  static final String RESERVES_SIGNING_KEY = "RBTC_RESERVES_SIGNING_KEY";

  /**
   * DEV ONLY — the local stack's proof-of-reserves attestation key, publicly known (it is in this
   * file): SHA-256 of "ReserveBTC local stack attestation key (dev only)". Never use it elsewhere.
   */
  static final String DEV_RESERVES_SIGNING_KEY =
      "da76ba8e66bdd0b9944b3bb51e563e10d3e744461cc1d6eee08accb1bf0bf4c8";

  /** The address the local stack's attestations are signed by (printed by the launcher). */
  static String devReservesSigner() {
    return org.web3j.crypto.Credentials.create(DEV_RESERVES_SIGNING_KEY).getAddress();
  }

  /**
   * Key material in the launcher's own environment that must not leak into the services: the oracle
   * gets the stack's key explicitly, the others none.
   */
  static final Set<String> NEVER_INHERITED =
      Set.of(
          COMMITTEE_KEY,
          POOL_ORACLE_KEY,
          RESERVES_SIGNING_KEY,
          "RBTC_RESERVES_SIGNING_KEYSTORE",
          "RBTC_RESERVES_SIGNING_KEYSTORE_PASSWORD",
          "RBTC_RESERVES_SALT_SECRET",
          "RBTC_ORACLE_COMMITTEE_KEYSTORE",
          "RBTC_ORACLE_COMMITTEE_KEYSTORE_PASSWORD");

  /**
   * Settings that differ from the services' production defaults because the local chain mines a
   * block a second and the local Bitcoin chain mines on demand: short oracle cycles, a shallow
   * confirmation depth, and a fee prepayment with every new binding so a local user can pay for
   * syncs without holding ETH (0.05 ETH, fifty syncs at the deployed fixed fee).
   */
  static final Map<String, Map<String, String>> LOCAL_TUNING =
      Map.of(
          ServiceSpec.ORACLE.name(),
          Map.of(
              "RBTC_ORACLE_CYCLE_INTERVAL", "2s",
              "RBTC_ORACLE_REGISTRATION_PREPAY_WEI", "50000000000000000"),
          ServiceSpec.INDEXER.name(),
          // Anvil's safe / finalized tags are 32 / 64 blocks deep: the local stack labels by
          // depth instead, CONFIRMED two blocks deep.
          Map.of(
              "RBTC_CHAIN_CONFIRMATION_DEPTH", "2",
              "RBTC_CHAIN_FINALIZED_DEPTH", "12",
              "RBTC_CHAIN_NODE_FINALITY", "false"));

  private ServiceEnvironment() {}

  /**
   * What every service needs to reach the rest of the stack.
   *
   * @param poolOracleKey the yield pool oracle's key for the yield-service, or null for none
   */
  record Endpoints(
      String kafkaBootstrap,
      String postgresJdbcUrl,
      String postgresUser,
      String postgresPassword,
      String rpcUrl,
      long chainId,
      ContractAddresses contracts,
      String esploraUrl,
      String committeeKey,
      String poolOracleKey) {}

  /** Deployed contract addresses and the block to index from. */
  record ContractAddresses(
      String oracleAggregator,
      String synth,
      String feeVault,
      String feePolicy,
      String wrbtc,
      String yieldPool,
      long startBlock) {}

  static Map<String, String> of(ServiceSpec service, int port, Endpoints endpoints) {
    return of(service, port, endpoints, Map.of());
  }

  /**
   * @param ports the ports of the other services of the stack, by name: the gateway forwards
   *     binding requests to the oracle-service at its port
   */
  static Map<String, String> of(
      ServiceSpec service, int port, Endpoints endpoints, Map<String, Integer> ports) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SERVER_PORT", Integer.toString(port));
    // readiness and liveness groups exist only on Kubernetes unless enabled explicitly
    env.put("MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED", "true");
    env.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", endpoints.kafkaBootstrap());
    // A local stack has one broker: topics have one replica (services check at start).
    env.put("RBTC_KAFKA_MIN_REPLICATION", "1");
    env.put("RBTC_KAFKA_MIN_INSYNC_REPLICAS", "1");
    env.put(
        "SPRING_DATASOURCE_URL",
        PostgresServer.withCurrentSchema(endpoints.postgresJdbcUrl(), service.schema()));
    env.put("SPRING_DATASOURCE_USERNAME", endpoints.postgresUser());
    env.put("SPRING_DATASOURCE_PASSWORD", endpoints.postgresPassword());
    env.put("RBTC_CHAIN_RPC_URL", endpoints.rpcUrl());
    env.put("RBTC_CHAIN_ID", Long.toString(endpoints.chainId()));
    ContractAddresses c = endpoints.contracts();
    env.put("RBTC_CONTRACTS_ORACLE_AGGREGATOR", c.oracleAggregator());
    env.put("RBTC_CONTRACTS_SYNTH", c.synth());
    env.put("RBTC_CONTRACTS_FEE_VAULT", c.feeVault());
    env.put("RBTC_CONTRACTS_FEE_POLICY", c.feePolicy());
    env.put("RBTC_CONTRACTS_WRBTC", c.wrbtc());
    env.put("RBTC_CONTRACTS_YIELD_POOL", c.yieldPool());
    env.put("RBTC_CONTRACTS_START_BLOCK", Long.toString(c.startBlock()));
    env.put("RBTC_BITCOIN_ESPLORA_URLS", endpoints.esploraUrl());
    env.put("RBTC_BITCOIN_NETWORK", "regtest");
    env.put("RBTC_BITCOIN_MIN_CONFIRMATIONS", "1");
    Integer oraclePort = ports.get(ServiceSpec.ORACLE.name());
    if (service.isGateway() && oraclePort != null) {
      env.put("RBTC_GATEWAY_ORACLE_URL", "http://" + Ports.LOOPBACK + ":" + oraclePort);
    }
    if (service.isGateway()) {
      // tells the replicas apart in the consumer group (member client ids "<name>-<n>")
      env.put("SPRING_KAFKA_CLIENT_ID", service.name());
    }
    if (service.holdsCommitteeKey()) {
      env.put(COMMITTEE_KEY, endpoints.committeeKey());
      env.put(RESERVES_SIGNING_KEY, DEV_RESERVES_SIGNING_KEY);
    }
    if (service.name().equals(ServiceSpec.YIELD.name()) && endpoints.poolOracleKey() != null) {
      env.put(POOL_ORACLE_KEY, endpoints.poolOracleKey());
    }
    env.putAll(LOCAL_TUNING.getOrDefault(service.name(), Map.of()));
    return env;
  }
}
