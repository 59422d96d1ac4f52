package com.reservebtc.indexer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.reservebtc.indexer.chain.Address;
import com.reservebtc.indexer.deployment.ContractKind;
import com.reservebtc.indexer.deployment.Deployment;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class IndexerPropertiesTest {

  private static final String AGGREGATOR = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
  private static final String SYNTH = "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512";
  private static final String VAULT = "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0";

  @Test
  void bindsTheSimpleEnvironmentFormOfTheLocalStack() {
    IndexerProperties properties =
        bind(
            Map.of(
                "RBTC_CHAIN_RPC_URL", "http://127.0.0.1:28545",
                "RBTC_CHAIN_ID", "6342",
                "RBTC_CHAIN_CONFIRMATION_DEPTH", "2",
                "RBTC_CONTRACTS_ORACLE_AGGREGATOR", AGGREGATOR,
                "RBTC_CONTRACTS_SYNTH", SYNTH,
                "RBTC_CONTRACTS_FEE_VAULT", VAULT,
                "RBTC_CONTRACTS_START_BLOCK", "17",
                "RBTC_INDEXER_POLL_INTERVAL", "50ms"));

    assertThat(properties.chain().rpcUrl()).isEqualTo("http://127.0.0.1:28545");
    assertThat(properties.chain().id()).isEqualTo(6342);
    assertThat(properties.chain().confirmationDepth()).isEqualTo(2);
    assertThat(properties.chain().finalizedDepth()).isEqualTo(64);
    assertThat(properties.indexer().pollInterval()).isEqualTo(Duration.ofMillis(50));
    assertThat(properties.indexer().maxBlockRange()).isEqualTo(2000);
    assertThat(properties.contracts().all())
        .containsExactly(
            new Deployment(ContractKind.ORACLE_AGGREGATOR, Address.of(AGGREGATOR), 17),
            new Deployment(ContractKind.RBTC_SYNTH, Address.of(SYNTH), 17),
            new Deployment(ContractKind.FEE_VAULT, Address.of(VAULT), 17));
  }

  @Test
  void bindsTheListFormWithAStartBlockPerDeployment() {
    IndexerProperties properties =
        bind(
            Map.of(
                "RBTC_CONTRACTS_DEPLOYMENTS_0_KIND", "YIELD_POOL",
                "RBTC_CONTRACTS_DEPLOYMENTS_0_ADDRESS", AGGREGATOR,
                "RBTC_CONTRACTS_DEPLOYMENTS_0_START_BLOCK", "5",
                "RBTC_CONTRACTS_DEPLOYMENTS_1_KIND", "VAULT_WRBTC",
                "RBTC_CONTRACTS_DEPLOYMENTS_1_ADDRESS", SYNTH,
                "RBTC_CONTRACTS_DEPLOYMENTS_1_START_BLOCK", "9"));

    assertThat(properties.contracts().all())
        .containsExactly(
            new Deployment(ContractKind.YIELD_POOL, Address.of(AGGREGATOR), 5),
            new Deployment(ContractKind.VAULT_WRBTC, Address.of(SYNTH), 9));
  }

  @Test
  void refusesSimpleAddressesWithoutAStartBlock() {
    assertThatThrownBy(() -> bind(Map.of("RBTC_CONTRACTS_SYNTH", SYNTH)))
        .isInstanceOf(BindException.class)
        .hasStackTraceContaining("RBTC_CONTRACTS_START_BLOCK");
  }

  @Test
  void refusesNoContractsADuplicateAddressAndAMalformedAddress() {
    assertThatThrownBy(() -> bind(Map.of())).hasStackTraceContaining("no contracts configured");
    assertThatThrownBy(
            () ->
                bind(
                    Map.of(
                        "RBTC_CONTRACTS_SYNTH",
                        SYNTH,
                        "RBTC_CONTRACTS_FEE_VAULT",
                        SYNTH.toUpperCase().replace("0X", "0x"),
                        "RBTC_CONTRACTS_START_BLOCK",
                        "1")))
        .hasStackTraceContaining("more than once");
    assertThatThrownBy(
            () -> bind(Map.of("RBTC_CONTRACTS_SYNTH", "0x1234", "RBTC_CONTRACTS_START_BLOCK", "1")))
        .hasStackTraceContaining("rbtc.contracts.synth");
  }

  @Test
  void refusesAReorgWindowShallowerThanTheConfirmationDepth() {
    assertThatThrownBy(
            () ->
                bind(
                    Map.of(
                        "RBTC_CHAIN_CONFIRMATION_DEPTH", "20",
                        "RBTC_CHAIN_FINALIZED_DEPTH", "10",
                        "RBTC_CONTRACTS_SYNTH", SYNTH,
                        "RBTC_CONTRACTS_START_BLOCK", "1")))
        .isInstanceOf(BindException.class)
        .hasStackTraceContaining("rbtc.chain.finalized-depth must be >= 1 and >=");
  }

  @Test
  void defaultsAreTheDocumentedLocalOnes() {
    IndexerProperties properties =
        bind(Map.of("RBTC_CONTRACTS_SYNTH", SYNTH, "RBTC_CONTRACTS_START_BLOCK", "0"));

    assertThat(properties.chain().rpcUrl()).isEqualTo("http://127.0.0.1:18545");
    assertThat(properties.chain().id()).isEqualTo(31337);
    assertThat(properties.chain().confirmationDepth()).isEqualTo(12);
    assertThat(properties.indexer().pollInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(properties.indexer().rpcBatchSize()).isEqualTo(100);
    assertThat(properties.indexer().maxRetryBackoff()).isEqualTo(Duration.ofSeconds(10));
    assertThat(properties.contracts().deployments()).isEmpty();
  }

  private static IndexerProperties bind(Map<String, Object> environment) {
    MutablePropertySources sources = new MutablePropertySources();
    sources.addFirst(
        new SystemEnvironmentPropertySource(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment));
    Binder binder = new Binder(ConfigurationPropertySources.from(sources));
    return binder.bindOrCreate("rbtc", IndexerProperties.class);
  }
}
