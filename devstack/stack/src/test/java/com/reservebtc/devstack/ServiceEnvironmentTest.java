package com.reservebtc.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceEnvironmentTest {

  private static final String KEY = "0x" + "ab".repeat(32);
  private static final String POOL_KEY = "0x" + "cd".repeat(32);

  private static final ServiceEnvironment.Endpoints ENDPOINTS =
      new ServiceEnvironment.Endpoints(
          "127.0.0.1:19092",
          "jdbc:postgresql://127.0.0.1:15432/postgres",
          "postgres",
          "pw",
          "http://127.0.0.1:18545",
          31337,
          new ServiceEnvironment.ContractAddresses(
              "0x0000000000000000000000000000000000000001",
              "0x0000000000000000000000000000000000000002",
              "0x0000000000000000000000000000000000000003",
              "0x0000000000000000000000000000000000000004",
              "0x0000000000000000000000000000000000000005",
              "0x0000000000000000000000000000000000000006",
              7),
          "http://127.0.0.1:13002",
          KEY,
          POOL_KEY);

  @Test
  void givesEachServiceItsPortSchemaAndTheSharedEndpoints() {
    Map<String, String> env = ServiceEnvironment.of(ServiceSpec.INDEXER, 18081, ENDPOINTS);

    assertThat(env)
        .containsEntry("SERVER_PORT", "18081")
        .containsEntry("SPRING_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092")
        .containsEntry(
            "SPRING_DATASOURCE_URL",
            "jdbc:postgresql://127.0.0.1:15432/postgres?currentSchema=indexer")
        .containsEntry("SPRING_DATASOURCE_USERNAME", "postgres")
        .containsEntry("SPRING_DATASOURCE_PASSWORD", "pw")
        .containsEntry("RBTC_CHAIN_RPC_URL", "http://127.0.0.1:18545")
        .containsEntry("RBTC_CHAIN_ID", "31337")
        .containsEntry(
            "RBTC_CONTRACTS_ORACLE_AGGREGATOR", "0x0000000000000000000000000000000000000001")
        .containsEntry("RBTC_CONTRACTS_SYNTH", "0x0000000000000000000000000000000000000002")
        .containsEntry("RBTC_CONTRACTS_FEE_VAULT", "0x0000000000000000000000000000000000000003")
        .containsEntry("RBTC_CONTRACTS_FEE_POLICY", "0x0000000000000000000000000000000000000004")
        .containsEntry("RBTC_CONTRACTS_WRBTC", "0x0000000000000000000000000000000000000005")
        .containsEntry("RBTC_CONTRACTS_YIELD_POOL", "0x0000000000000000000000000000000000000006")
        .containsEntry("RBTC_CONTRACTS_START_BLOCK", "7")
        .containsEntry("RBTC_BITCOIN_ESPLORA_URLS", "http://127.0.0.1:13002")
        .containsEntry("RBTC_BITCOIN_NETWORK", "regtest")
        .containsEntry("RBTC_BITCOIN_MIN_CONFIRMATIONS", "1")
        .containsEntry("MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED", "true")
        .containsEntry("RBTC_KAFKA_MIN_REPLICATION", "1")
        .containsEntry("RBTC_KAFKA_MIN_INSYNC_REPLICAS", "1");
  }

  @Test
  void aSecondGatewayReplicaRunsTheGatewayJarWithTheGatewaysSettingsAndItsOwnClientId() {
    Map<String, String> first =
        ServiceEnvironment.of(
            ServiceSpec.API_GATEWAY, 18080, ENDPOINTS, Map.of(ServiceSpec.ORACLE.name(), 18082));
    Map<String, String> second =
        ServiceEnvironment.of(
            ServiceSpec.API_GATEWAY_2, 18085, ENDPOINTS, Map.of(ServiceSpec.ORACLE.name(), 18082));

    assertThat(ServiceSpec.API_GATEWAY_2.jar(Path.of("/repo"), "1.0"))
        .isEqualTo(ServiceSpec.API_GATEWAY.jar(Path.of("/repo"), "1.0"));
    assertThat(second)
        .containsEntry("SERVER_PORT", "18085")
        .containsEntry(
            "SPRING_DATASOURCE_URL",
            "jdbc:postgresql://127.0.0.1:15432/postgres?currentSchema=gateway")
        .containsEntry("RBTC_GATEWAY_ORACLE_URL", "http://127.0.0.1:18082")
        .containsEntry("SPRING_KAFKA_CLIENT_ID", "api-gateway-2");
    assertThat(first).containsEntry("SPRING_KAFKA_CLIENT_ID", "api-gateway");
  }

  @Test
  void onlyTheOracleGetsTheCommitteeKey() {
    for (ServiceSpec service : ServiceSpec.all()) {
      Map<String, String> env = ServiceEnvironment.of(service, 1, ENDPOINTS);
      if (service.equals(ServiceSpec.ORACLE)) {
        assertThat(env).containsEntry("RBTC_ORACLE_COMMITTEE_KEY", KEY);
      } else {
        assertThat(env).as(service.name()).doesNotContainKey("RBTC_ORACLE_COMMITTEE_KEY");
        assertThat(env.values()).as(service.name()).doesNotContain(KEY);
      }
    }
  }

  @Test
  void onlyTheOracleGetsTheAttestationKey() {
    for (ServiceSpec service : ServiceSpec.all()) {
      Map<String, String> env = ServiceEnvironment.of(service, 1, ENDPOINTS);
      if (service.equals(ServiceSpec.ORACLE)) {
        assertThat(env)
            .containsEntry(
                "RBTC_RESERVES_SIGNING_KEY", ServiceEnvironment.DEV_RESERVES_SIGNING_KEY);
      } else {
        assertThat(env).as(service.name()).doesNotContainKey("RBTC_RESERVES_SIGNING_KEY");
      }
    }
    assertThat(ServiceEnvironment.devReservesSigner()).matches("0x[0-9a-f]{40}");
  }

  @Test
  void onlyTheYieldServiceGetsThePoolOracleKey() {
    for (ServiceSpec service : ServiceSpec.all()) {
      Map<String, String> env = ServiceEnvironment.of(service, 1, ENDPOINTS);
      if (service.equals(ServiceSpec.YIELD)) {
        assertThat(env).containsEntry("RBTC_YIELD_POOL_ORACLE_KEY", POOL_KEY);
      } else {
        assertThat(env).as(service.name()).doesNotContainKey("RBTC_YIELD_POOL_ORACLE_KEY");
        assertThat(env.values()).as(service.name()).doesNotContain(POOL_KEY);
      }
    }
  }

  @Test
  void theGatewayForwardsBindingsToTheOracleAtItsPort() {
    Map<String, Integer> ports = Map.of("api-gateway", 40001, "oracle-service", 40002);

    assertThat(ServiceEnvironment.of(ServiceSpec.API_GATEWAY, 40001, ENDPOINTS, ports))
        .containsEntry("RBTC_GATEWAY_ORACLE_URL", "http://127.0.0.1:40002");
    assertThat(ServiceEnvironment.of(ServiceSpec.INDEXER, 40003, ENDPOINTS, ports))
        .doesNotContainKey("RBTC_GATEWAY_ORACLE_URL");
  }

  @Test
  void keyMaterialIsNeverInheritedFromTheLauncher() {
    assertThat(ServiceEnvironment.NEVER_INHERITED)
        .contains(
            "RBTC_ORACLE_COMMITTEE_KEY",
            "RBTC_YIELD_POOL_ORACLE_KEY",
            "RBTC_RESERVES_SIGNING_KEY",
            "RBTC_RESERVES_SIGNING_KEYSTORE_PASSWORD",
            "RBTC_ORACLE_COMMITTEE_KEYSTORE",
            "RBTC_ORACLE_COMMITTEE_KEYSTORE_PASSWORD");
  }

  @Test
  void appendsTheSchemaToAUrlThatAlreadyHasParameters() {
    assertThat(PostgresServer.withCurrentSchema("jdbc:postgresql://h/db?sslmode=require", "yield"))
        .isEqualTo("jdbc:postgresql://h/db?sslmode=require&currentSchema=yield");
  }

  @Test
  void everyServiceOwnsADistinctSchemaAndPort() {
    assertThat(ServiceSpec.all().stream().map(ServiceSpec::schema))
        .containsExactly("gateway", "indexer", "oracle", "emergency", "yield");
    assertThat(ServiceSpec.all().stream().map(ServiceSpec::defaultPort))
        .containsExactly(8080, 8081, 8082, 8083, 8084);
  }
}
