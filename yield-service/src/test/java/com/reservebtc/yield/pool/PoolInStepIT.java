package com.reservebtc.yield.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.reservebtc.chainconsumer.testing.ChainInfrastructure;
import com.reservebtc.contracts.anvil.AnvilNode;
import com.reservebtc.contracts.generated.YieldScalesPool;
import com.reservebtc.yield.registration.AnvilProtocol;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
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
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The pool kept in step on a real chain by the service holding the pool oracle key: a registered
 * holder's balance change reaches the pool's contribution, and an aggregator emergency burn ends
 * with contribution 0 on chain, sent once even when the pool's own burn event comes back.
 */
@ExtendWith({ChainInfrastructure.class, AnvilProtocol.class})
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "rbtc.yield.registration-interval=200ms",
      "rbtc.yield.pool-sync.interval=200ms",
      "rbtc.tx.poll-interval=50ms",
      "rbtc.kafka.min-replication=1",
      "rbtc.kafka.min-insync-replicas=1",
      "rbtc.outbox.poll-interval=500ms"
    })
@DirtiesContext
class PoolInStepIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final PoolTestbed chain = new PoolTestbed();

  @Autowired JdbcClient jdbc;
  @Autowired PoolReconciler reconciler;

  @Value("${local.server.port}")
  int port;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", ChainInfrastructure::bootstrapServers);
    registry.add("spring.datasource.url", () -> ChainInfrastructure.jdbcUrl("yield"));
    registry.add("rbtc.chain.rpc-url", () -> AnvilProtocol.anvil().rpcUrl());
    registry.add("rbtc.chain.chain-id", () -> AnvilProtocol.deployment().chainId());
    registry.add("rbtc.contracts.yield-pool", () -> AnvilProtocol.deployment().yieldPool());
    registry.add("rbtc.yield.pool-oracle-key", () -> AnvilNode.DEV_ACCOUNT_3_PRIVATE_KEY);
  }

  @AfterAll
  static void close() {
    chain.close();
  }

  @Test
  void aHoldersBalanceChangeAndAnAggregatorBurnReachThePoolOnChain() throws Exception {
    String user = PoolTestbed.randomAddress();
    chain.syncOnChain(user, 50_000);
    chain.minted(user, 50_000);
    // The service registers the newly eligible holder itself, through its sender.
    await().atMost(WAIT).until(() -> "SUBMITTED".equals(registrationStatus(user)));
    assertThat(PoolTestbed.poolAmount(user)).isEqualTo(BigInteger.valueOf(50_000));
    chain.joined(user, 50_000);
    await().atMost(WAIT).until(() -> Boolean.TRUE.equals(row(user).get("in_step")));
    assertThat(sentCalls(user)).isEmpty();

    // The balance rises by 30,000 on chain: the pool follows with one absolute update.
    chain.syncOnChain(user, 80_000);
    chain.minted(user, 30_000);
    await()
        .atMost(WAIT)
        .until(() -> PoolTestbed.poolAmount(user).equals(BigInteger.valueOf(80_000)));
    await().atMost(WAIT).until(() -> Boolean.TRUE.equals(row(user).get("in_step")));
    assertThat(sentCalls(user)).containsExactly("updateRBTCContribution(" + user + ", 80000)");
    JsonNode view = participant(user);
    assertThat(view.get("poolKey").asBoolean()).isTrue();
    assertThat(view.get("poolInStep").asBoolean()).isTrue();
    assertThat(view.get("poolContributionSats").asString()).isEqualTo("80000");
    assertThat(view.get("poolCallPending").isNull()).isTrue();

    // The aggregator burns everything: the pool is told with emergencyBurn and ends at 0.
    chain.emergencyBurnOnChain(user);
    String burnEvent = chain.aggregatorBurned(user, 80_000);
    await().atMost(WAIT).until(() -> PoolTestbed.poolAmount(user).signum() == 0);
    await().atMost(WAIT).until(() -> burnEvent.equals(row(user).get("burn_event_id")));
    assertThat(sentCalls(user))
        .containsExactly(
            "updateRBTCContribution(" + user + ", 80000)", "emergencyBurn(" + user + ", 80000)");
    TransactionReceipt burn =
        AnvilProtocol.web3j()
            .ethGetTransactionReceipt((String) row(user).get("last_tx_hash"))
            .send()
            .getTransactionReceipt()
            .orElseThrow();
    List<YieldScalesPool.EmergencyBurnTriggeredEventResponse> triggered =
        YieldScalesPool.getEmergencyBurnTriggeredEvents(burn);
    assertThat(triggered).hasSize(1);
    assertThat(triggered.get(0).user).isEqualToIgnoringCase(user);
    assertThat(triggered.get(0).burnedAmount).isEqualTo(BigInteger.valueOf(80_000));

    // The pool's own burn comes back through the indexer: the contribution stays 0 (not
    // negative, not counted twice) and nothing more is sent.
    chain.poolBurned(user, 80_000);
    await().atMost(WAIT).until(() -> ledgerKinds(user).contains("POOL_BURN"));
    reconciler.reconcile();
    assertThat(contribution(user)).isZero();
    assertThat(sentCalls(user)).hasSize(2);
    assertThat(PoolTestbed.poolAmount(user)).isZero();
    assertThat(row(user)).containsEntry("in_step", true).containsEntry("pending_call", null);
  }

  private String registrationStatus(String user) {
    return jdbc.sql(
            """
            select case when p.registered_on_chain then 'REGISTERED'
                        else coalesce(r.status, 'OFF_CHAIN') end
            from yield_scales_participants p
            left join pool_registrations r on r.user_address = p.user_address
            where p.user_address = ?
            """)
        .param(user)
        .query(String.class)
        .optional()
        .orElse(null);
  }

  private long contribution(String user) {
    return jdbc.sql(
            "select contribution_sats from yield_scales_participants where user_address = ?")
        .param(user)
        .query(Long.class)
        .single();
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

  /** The pool calls mined for the user, oldest first. */
  private List<String> sentCalls(String user) {
    return jdbc.sql(
            """
            select split_part(details, ' in ', 1) from yield_operations_log
            where user_address = ? and operation = 'POOL_CALL_MINED' order by id
            """)
        .param(user)
        .query(String.class)
        .list();
  }

  private List<String> ledgerKinds(String user) {
    return jdbc.sql(
            """
            select kind from yield_ledger where user_address = ?
            order by chain_id, block_number, log_index, event_id
            """)
        .param(user)
        .query(String.class)
        .list();
  }

  private List<String> operations(String user) {
    return jdbc.sql("select operation from yield_operations_log where user_address = ? order by id")
        .param(user)
        .query(String.class)
        .list();
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
