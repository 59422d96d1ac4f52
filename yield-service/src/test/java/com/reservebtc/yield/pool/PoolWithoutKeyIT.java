package com.reservebtc.yield.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.reservebtc.chainconsumer.testing.ChainInfrastructure;
import com.reservebtc.yield.registration.AnvilProtocol;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Without the pool oracle key, against a real chain: nothing is sent, and what should have been
 * sent is recorded and shown with the participant.
 */
@ExtendWith({ChainInfrastructure.class, AnvilProtocol.class})
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "rbtc.yield.pool-sync.interval=200ms",
      "rbtc.kafka.min-replication=1",
      "rbtc.kafka.min-insync-replicas=1",
      "rbtc.outbox.poll-interval=500ms"
    })
@DirtiesContext
class PoolWithoutKeyIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final PoolTestbed chain = new PoolTestbed();

  @Autowired JdbcClient jdbc;

  @Value("${local.server.port}")
  int port;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", ChainInfrastructure::bootstrapServers);
    registry.add("spring.datasource.url", () -> ChainInfrastructure.jdbcUrl("yield"));
    registry.add("rbtc.chain.rpc-url", () -> AnvilProtocol.anvil().rpcUrl());
    registry.add("rbtc.chain.chain-id", () -> AnvilProtocol.deployment().chainId());
    registry.add("rbtc.contracts.yield-pool", () -> AnvilProtocol.deployment().yieldPool());
  }

  @AfterAll
  static void close() {
    chain.close();
  }

  @Test
  void nothingIsSentAndTheParticipantSaysWhatShouldHaveBeen() throws Exception {
    String user = PoolTestbed.randomAddress();
    chain.syncOnChain(user, 50_000);
    chain.joinOnChainAsThePoolOracle(user);
    long oracleNonce = PoolTestbed.poolOracleNonce();
    chain.minted(user, 50_000);
    chain.joined(user, 50_000);
    await().atMost(WAIT).until(() -> Boolean.TRUE.equals(row(user).get("in_step")));

    chain.syncOnChain(user, 70_000);
    chain.minted(user, 20_000);
    String update = "updateRBTCContribution(" + user + ", 70000)";
    await().atMost(WAIT).until(() -> update.equals(row(user).get("pending_call")));
    Map<String, Object> row = row(user);
    assertThat(row)
        .containsEntry("in_step", false)
        .containsEntry("desired_sats", 70_000L)
        .containsEntry("tx_hashes", null);
    assertThat(row.get("on_chain_sats").toString()).isEqualTo("50000");
    assertThat(row.get("out_of_step_since")).isNotNull();
    assertThat((String) row.get("last_error")).contains("RBTC_YIELD_POOL_ORACLE_KEY");

    JsonNode view = participant(user);
    assertThat(view.get("poolKey").asBoolean()).isFalse();
    assertThat(view.get("poolInStep").asBoolean()).isFalse();
    assertThat(view.get("poolCallPending").asString()).isEqualTo(update);
    assertThat(view.get("poolContributionSats").asString()).isEqualTo("50000");
    assertThat(view.get("poolDesiredSats").asLong()).isEqualTo(70_000);
    assertThat(view.get("registrationMode").asString()).isEqualTo("OFF_CHAIN_ONLY");

    // An aggregator burn: what the pool should be told is recorded too.
    chain.emergencyBurnOnChain(user);
    chain.aggregatorBurned(user, 70_000);
    String burn = "emergencyBurn(" + user + ", 50000)";
    await().atMost(WAIT).until(() -> burn.equals(row(user).get("pending_call")));
    assertThat(participant(user).get("poolCallPending").asString()).isEqualTo(burn);

    // Nothing was sent: the pool still holds 50,000 and its oracle sent nothing more.
    assertThat(PoolTestbed.poolAmount(user)).isEqualTo(BigInteger.valueOf(50_000));
    assertThat(PoolTestbed.poolOracleNonce()).isEqualTo(oracleNonce);
  }

  private Map<String, Object> row(String user) {
    return jdbc
        .sql("select * from pool_contributions where user_address = ?")
        .param(user)
        .query()
        .listOfRows()
        .stream()
        .findFirst()
        .orElse(Map.of());
  }

  private JsonNode participant(String user) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/yield/participants/" + user))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JsonMapper.builder().build().readTree(response.body());
  }
}
