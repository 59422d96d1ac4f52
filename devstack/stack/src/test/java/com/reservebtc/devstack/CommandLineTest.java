package com.reservebtc.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandLineTest {

  private static DevStackOptions parse(String... args) {
    return CommandLine.parse(List.of(args), Map.of()).options();
  }

  @Test
  void noArgumentsRunsEverythingOnTheDocumentedPorts() {
    DevStackOptions options = parse();

    assertThat(options.postgresPort()).isEqualTo(15432);
    assertThat(options.kafkaPort()).isEqualTo(19092);
    assertThat(options.anvilPort()).isEqualTo(18545);
    assertThat(options.esploraPort()).isEqualTo(13002);
    assertThat(options.servicePort(ServiceSpec.API_GATEWAY)).isEqualTo(8080);
    assertThat(options.servicePort(ServiceSpec.INDEXER)).isEqualTo(8081);
    assertThat(options.servicePort(ServiceSpec.ORACLE)).isEqualTo(8082);
    assertThat(options.servicePort(ServiceSpec.EMERGENCY_BURN)).isEqualTo(8083);
    assertThat(options.servicePort(ServiceSpec.YIELD)).isEqualTo(8084);
    assertThat(options.services())
        .containsExactly(
            "api-gateway",
            "indexer-service",
            "oracle-service",
            "emergency-burn-service",
            "yield-service");
    assertThat(options.dataDir()).isEmpty();
    assertThat(options.fresh()).isFalse();
    assertThat(options.postgresUrl()).isEmpty();
    assertThat(options.kafkaBootstrap()).isEmpty();
    assertThat(options.rpcUrl()).isEmpty();
    assertThat(options.esploraUrl()).isEmpty();
    assertThat(options.serviceTimeout()).isEqualTo(Duration.ofSeconds(120));
  }

  @Test
  void readsValuesWithSpaceOrEqualsSign() {
    DevStackOptions options =
        parse("--data-dir", "/tmp/x", "--postgres-port=25432", "--fresh", "--kafka-port", "0");

    assertThat(options.dataDir()).contains(Path.of("/tmp/x"));
    assertThat(options.postgresPort()).isEqualTo(25432);
    assertThat(options.kafkaPort()).isZero();
    assertThat(options.fresh()).isTrue();
  }

  @Test
  void everyFlagHasAnEnvironmentVariableAndTheCommandLineWins() {
    Map<String, String> env =
        Map.of(
            "RBTC_DEVSTACK_DATA_DIR", "/from/env",
            "RBTC_DEVSTACK_ANVIL_PORT", "28545",
            "RBTC_DEVSTACK_FRESH", "true",
            "RBTC_DEVSTACK_API_GATEWAY_PORT", "9090",
            "RBTC_DEVSTACK_KAFKA_BOOTSTRAP", "broker:9092");

    DevStackOptions options = CommandLine.parse(List.of("--data-dir", "/from/args"), env).options();

    assertThat(options.dataDir()).contains(Path.of("/from/args"));
    assertThat(options.anvilPort()).isEqualTo(28545);
    assertThat(options.fresh()).isTrue();
    assertThat(options.servicePort(ServiceSpec.API_GATEWAY)).isEqualTo(9090);
    assertThat(options.kafkaBootstrap()).contains("broker:9092");
  }

  @Test
  void freePortsSetsEveryPortToZeroButAnExplicitPortStillWins() {
    DevStackOptions options = parse("--esplora-port", "13003", "--free-ports");

    assertThat(options.postgresPort()).isZero();
    assertThat(options.kafkaPort()).isZero();
    assertThat(options.kafkaControllerPort()).isZero();
    assertThat(options.anvilPort()).isZero();
    assertThat(options.servicePort(ServiceSpec.YIELD)).isZero();
    assertThat(options.esploraPort()).isEqualTo(13003);
  }

  @Test
  void externalComponentsAreTakenFromTheirFlags() {
    DevStackOptions options =
        parse(
            "--postgres-url",
            "jdbc:postgresql://db:5432/rbtc",
            "--postgres-user",
            "rbtc",
            "--kafka-bootstrap",
            "k:9092",
            "--rpc-url",
            "http://node:8545",
            "--deployment",
            "deploy.properties",
            "--esplora-url",
            "http://esplora");

    assertThat(options.postgresUrl()).contains("jdbc:postgresql://db:5432/rbtc");
    assertThat(options.postgresUser()).isEqualTo("rbtc");
    assertThat(options.kafkaBootstrap()).contains("k:9092");
    assertThat(options.rpcUrl()).contains("http://node:8545");
    assertThat(options.deploymentFile()).contains(Path.of("deploy.properties"));
    assertThat(options.esploraUrl()).contains("http://esplora");
  }

  @Test
  void servicesCanBeChosenByNameOrNone() {
    assertThat(parse("--services", "indexer-service,api-gateway").services())
        .containsExactly("indexer-service", "api-gateway");
    assertThat(parse("--services", "none").services()).isEmpty();
    assertThat(parse("--services", "all").services()).hasSize(ServiceSpec.all().size());
    // a second gateway replica only when asked for
    assertThat(parse("--services", "all").services()).doesNotContain("api-gateway-2");
    assertThat(parse("--services", "all,api-gateway-2").services())
        .hasSize(ServiceSpec.all().size() + 1)
        .endsWith("api-gateway-2");
    assertThat(parse("--api-gateway-2-port", "9085").servicePort(ServiceSpec.API_GATEWAY_2))
        .isEqualTo(9085);
  }

  @Test
  void rejectsAnUnknownService() {
    assertThatThrownBy(() -> parse("--services", "indexer-service,wallet"))
        .isInstanceOf(DevStackException.class)
        .hasMessageContaining("unknown service wallet");
  }

  @Test
  void rejectsAnUnknownFlag() {
    assertThatThrownBy(() -> parse("--postgres-prot", "1"))
        .isInstanceOf(DevStackException.class)
        .hasMessageContaining("unknown option --postgres-prot");
  }

  @Test
  void rejectsAMissingValue() {
    assertThatThrownBy(() -> parse("--data-dir"))
        .isInstanceOf(DevStackException.class)
        .hasMessageContaining("--data-dir needs a value");
    assertThatThrownBy(() -> parse("--data-dir", "--fresh"))
        .isInstanceOf(DevStackException.class)
        .hasMessageContaining("--data-dir needs a value");
  }

  @Test
  void rejectsInvalidPortsAndNamesTheSource() {
    assertThatThrownBy(() -> parse("--postgres-port", "70000"))
        .isInstanceOf(DevStackException.class)
        .hasMessageContaining("--postgres-port");
    assertThatThrownBy(
            () -> CommandLine.parse(List.of(), Map.of("RBTC_DEVSTACK_KAFKA_PORT", "abc")))
        .isInstanceOf(DevStackException.class)
        .hasMessageContaining("RBTC_DEVSTACK_KAFKA_PORT");
    assertThatThrownBy(() -> parse("--kafka-port", "19092", "--kafka-controller-port", "19092"))
        .isInstanceOf(DevStackException.class)
        .hasMessageContaining("must differ");
  }

  @Test
  void rejectsABooleanThatIsNotOne() {
    assertThatThrownBy(() -> CommandLine.parse(List.of(), Map.of("RBTC_DEVSTACK_FRESH", "maybe")))
        .isInstanceOf(DevStackException.class)
        .hasMessageContaining("RBTC_DEVSTACK_FRESH");
  }

  @Test
  void rejectsANonPositiveServiceTimeout() {
    assertThatThrownBy(() -> parse("--service-timeout", "0"))
        .isInstanceOf(DevStackException.class)
        .hasMessageContaining("--service-timeout");
  }

  @Test
  void serviceJavaOptionsReplaceTheDefaults() {
    assertThat(parse().serviceJavaOptions()).isEmpty();
    assertThat(ServiceJvm.effectiveOptions("indexer-service", parse().serviceJavaOptions()))
        .isEqualTo(ServiceJvm.defaultOptions("indexer-service"));
    assertThat(parse("--service-java-options", "-Xmx512m  -XX:+UseG1GC").serviceJavaOptions())
        .containsExactly("-Xmx512m", "-XX:+UseG1GC");
    assertThat(
            ServiceJvm.effectiveOptions(
                "indexer-service",
                parse("--service-java-options", "-Xmx512m  -XX:+UseG1GC").serviceJavaOptions()))
        .containsExactly("-Xmx512m", "-XX:+UseG1GC");
    assertThatThrownBy(() -> parse("--service-java-options", "Xmx512m"))
        .isInstanceOf(DevStackException.class)
        .hasMessageContaining("--service-java-options");
  }

  @Test
  void helpIsRecognisedAnywhere() {
    assertThat(CommandLine.parse(List.of("--fresh", "--help"), Map.of()).help()).isTrue();
    assertThat(CommandLine.parse(List.of("-h"), Map.of()).help()).isTrue();
    assertThat(CommandLine.parse(List.of("--fresh"), Map.of()).help()).isFalse();
  }

  @Test
  void helpDocumentsEveryFlagAndItsEnvironmentVariable() {
    String help = CommandLine.help();

    for (CommandLine.Flag flag : CommandLine.flags()) {
      assertThat(help).contains(flag.name()).contains(flag.env());
    }
    assertThat(help).contains("--help").contains("RBTC_DEVSTACK_COMMITTEE_KEY");
  }
}
