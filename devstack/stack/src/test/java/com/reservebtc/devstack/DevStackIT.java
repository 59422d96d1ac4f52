package com.reservebtc.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.reservebtc.contracts.deploy.ProtocolDeployment;
import com.reservebtc.schemas.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's infrastructure (no services), on free ports, as the end-to-end tests use it. */
@Timeout(180)
class DevStackIT {

  @TempDir Path temp;
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();
  private DevStack stack;

  @AfterEach
  void close() {
    if (stack != null) {
      stack.close();
    }
  }

  private DevStackOptions options() {
    return DevStackOptions.builder()
        .dataDir(temp.resolve("stack"))
        .freePorts()
        .noServices()
        .progress(new PrintStream(output, true, StandardCharsets.UTF_8))
        .build();
  }

  @Test
  void startsTheInfrastructureKeepsItsStateAcrossRestartsAndLeavesNothingRunning()
      throws Exception {
    stack = DevStack.start(options());

    try (Connection c =
        DriverManager.getConnection(
            stack.postgresJdbcUrl("indexer"), stack.postgresUser(), stack.postgresPassword())) {
      assertThat(c.isValid(2)).isTrue();
    }
    try (Admin admin = KafkaBrokerProcess.admin(stack.kafkaBootstrapServers())) {
      Set<String> topics = admin.listTopics().names().get();
      assertThat(topics)
          .contains(Topics.CHAIN_SYNCED.name(), Topics.deadLetterOf(Topics.CHAIN_SYNCED.name()));
    }
    ProtocolDeployment deployment = stack.deployment();
    EvmRpc rpc = new EvmRpc(stack.rpcUrl());
    assertThat(stack.chainId()).isEqualTo(31337);
    assertThat(deployment.chainId()).isEqualTo(31337);
    assertThat(rpc.hasCode(deployment.oracleAggregator())).isTrue();
    assertThat(rpc.hasCode(deployment.yieldPool())).isTrue();
    String address = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080";
    stack.esploraSimulator().orElseThrow().fund(address, 50_000);
    stack.esploraSimulator().orElseThrow().mine(1);
    assertThat(get(stack.esploraUrl() + "/address/" + address))
        .contains("\"funded_txo_sum\":50000");
    assertThat(stack.services()).isEmpty();
    assertThat(StackSummary.render(stack))
        .contains(stack.kafkaBootstrapServers(), stack.rpcUrl(), deployment.oracleAggregator());

    List<Long> pids = new ArrayList<>();
    stack.kafkaPid().ifPresent(pids::add);
    stack.postgresPid().ifPresent(pids::add);
    pids.add(stack.anvil().orElseThrow().pid());
    assertThat(pids).hasSize(3);
    stack.close();
    stack = null;

    for (long pid : pids) {
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
          .as("pid %d", pid)
          .isFalse();
    }
    assertThat(temp.resolve("stack/pids")).doesNotExist();

    stack = DevStack.start(options());

    assertThat(stack.deployment()).isEqualTo(deployment);
    assertThat(output.toString(StandardCharsets.UTF_8)).contains("reused");
    assertThat(get(stack.esploraUrl() + "/address/" + address))
        .contains("\"funded_txo_sum\":50000");
  }

  @Test
  void aSecondLauncherOnTheSameDataDirectoryIsRefused() {
    stack = DevStack.start(options());

    assertThatThrownBy(() -> DevStack.start(options()))
        .isInstanceOf(DevStackException.class)
        .hasMessageContaining("already running");
    assertThat(stack.postgresPid()).hasValueSatisfying(pid -> assertThat(pid).isPositive());
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }
}
