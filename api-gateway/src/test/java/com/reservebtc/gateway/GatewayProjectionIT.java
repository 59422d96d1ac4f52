package com.reservebtc.gateway;

import static com.reservebtc.gateway.ContractShapes.assertMatches;
import static com.reservebtc.gateway.ContractShapes.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.reservebtc.gateway.snapshots.BalanceSnapshotJob;
import com.reservebtc.gateway.stream.StreamHub;
import com.reservebtc.schemas.Keys;
import com.reservebtc.schemas.Service;
import com.reservebtc.schemas.Topic;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.AlertKind;
import com.reservebtc.schemas.avro.BalanceDisputed;
import com.reservebtc.schemas.avro.BindingEvent;
import com.reservebtc.schemas.avro.BindingKind;
import com.reservebtc.schemas.avro.BlockMarkerKind;
import com.reservebtc.schemas.avro.ChainLogRef;
import com.reservebtc.schemas.avro.EmergencyAlert;
import com.reservebtc.schemas.avro.EmergencyBurnEvent;
import com.reservebtc.schemas.avro.EmergencyBurnSource;
import com.reservebtc.schemas.avro.LoyaltyTier;
import com.reservebtc.schemas.avro.OperationStatus;
import com.reservebtc.schemas.avro.OracleOperation;
import com.reservebtc.schemas.avro.ReserveAttestation;
import com.reservebtc.schemas.avro.Token;
import com.reservebtc.schemas.avro.TokenEvent;
import com.reservebtc.schemas.avro.TokenEventKind;
import com.reservebtc.schemas.avro.YieldClaimed;
import com.reservebtc.schemas.avro.YieldParticipantState;
import com.reservebtc.schemas.avro.YieldPoolEvent;
import com.reservebtc.schemas.serde.AvroValueSerializer;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;

/**
 * The gateway against a real Kafka broker (embedded KRaft) and a real Postgres (zonky): records
 * produced with the schemas serializer are projected, served by the REST API in the captured
 * contract shapes and pushed on the SSE stream.
 */
@ExtendWith(EmbeddedInfrastructure.class)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "rbtc.gateway.sse.heartbeat=1s",
      "rbtc.kafka.min-replication=1",
      "rbtc.kafka.min-insync-replicas=1",
      "rbtc.consumer.initial-backoff=50ms",
      "rbtc.consumer.max-backoff=500ms",
      "rbtc.contracts.yield-pool=0xBABFC9B230E34C1726BAB00C99032F9E84C1C3FB"
    })
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayProjectionIT {

  private static final long CHAIN = 31337;
  private static final String GROUP = "api-gateway";

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", EmbeddedInfrastructure::kafkaBootstrapServers);
    registry.add(
        "spring.datasource.url",
        () ->
            "jdbc:postgresql://localhost:"
                + EmbeddedInfrastructure.postgres().getPort()
                + "/postgres?currentSchema=gateway");
    registry.add("spring.datasource.username", () -> "postgres");
  }

  @LocalServerPort int port;
  @Autowired StreamHub hub;
  @Autowired BalanceSnapshotJob snapshots;
  @Autowired ConcurrentMessageListenerContainer<String, byte[]> container;

  private WebTestClient http;
  private JdbcTemplate db;

  @BeforeEach
  void clients() {
    http = TestClients.gateway(port);
    db = new JdbcTemplate(EmbeddedInfrastructure.postgres().getPostgresDatabase());
  }

  @Test
  void projectsSyncedMintAndBindingIntoTheCapturedShapes() throws Exception {
    String user = address(0xA1);
    String btc = "tb1qtkj7hlhv9drfwe2mupq0yt9m6fsungkjjv5lr7";
    String tx = TestRecords.txHash(0xA100);
    List<ProducerRecord<String, SpecificRecord>> records =
        List.of(
            record(Topics.ORACLE_BINDINGS, user, TestRecords.bound(user, btc, 1_758_600_000_000L)));
    send(records);
    await().until(() -> count("bitcoin_addresses WHERE eth_address = '" + user + "'") == 1);

    List<ProducerRecord<String, SpecificRecord>> chain =
        List.of(
            record(
                Topics.CHAIN_TOKEN_TRANSFERS,
                user,
                TestRecords.synthMint(chainLog(TestRecords.SYNTH, 100, tx, 1), user, 147_145)),
            record(
                Topics.CHAIN_SYNCED,
                user,
                TestRecords.synced(
                    chainLog(TestRecords.AGGREGATOR, 100, tx, 3),
                    user,
                    147_145,
                    147_145,
                    "1400000000000000")));
    send(chain);
    await().until(() -> count("transactions WHERE user_address = '" + user + "'") == 2);

    JsonNode balances =
        get("/api/realtime/balances?address=" + user.toUpperCase().replace("0X", "0x"));
    assertMatches("/api/realtime/balances", balances, Set.of(), Set.of("feeVaultWei"));
    assertThat(balances.get("address").asString()).isEqualTo(user);
    assertThat(balances.get("rbtc").isIntegralNumber()).isTrue();
    assertThat(balances.get("rbtc").asLong()).isEqualTo(147_145);
    assertThat(balances.get("wrbtc").asString()).isEqualTo("0");
    assertThat(balances.get("oracle").asString()).isEqualTo("147145");
    assertThat(balances.get("oracleBalance").asLong()).isEqualTo(147_145);
    assertThat(balances.get("blockNumber").asLong()).isEqualTo(100);
    assertThat(balances.get("lastUpdate").asString())
        .isEqualTo(
            java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS")
                .withZone(ZoneOffset.UTC)
                .format(java.time.Instant.ofEpochSecond(TestRecords.GENESIS_SECONDS + 100)));

    JsonNode transactions = get("/api/realtime/transactions?address=" + user);
    assertMatches("/api/realtime/transactions", transactions, Set.of("[].gas_price"), Set.of());
    assertThat(transactions).hasSize(1); // the sync's own rBTC Transfer is not listed
    JsonNode mint = transactions.get(0);
    assertThat(mint.get("tx_hash").asString()).isEqualTo(tx);
    assertThat(mint.get("block_number").isIntegralNumber()).isTrue();
    assertThat(mint.get("tx_type").asString()).isEqualTo("MINT");
    assertThat(mint.get("amount").asString()).isEqualTo("147145");
    assertThat(mint.get("delta").asString()).isEqualTo("147145");
    assertThat(mint.get("fee_wei").asString()).isEqualTo("1400000000000000");
    assertThat(mint.get("bitcoin_address").asString()).isEqualTo(btc);
    assertThat(mint.get("status").asString()).isEqualTo("pending");
    assertThat(mint.get("metadata").get("event").asString()).isEqualTo("Synced");

    JsonNode addresses = get("/api/realtime/bitcoin-addresses?address=" + user);
    assertMatches("/api/realtime/bitcoin-addresses", addresses, Set.of(), Set.of());
    assertThat(addresses.get("count").asInt()).isEqualTo(1);
    assertThat(addresses.get("bitcoinAddresses").get(0).get("is_monitoring").asBoolean()).isTrue();

    JsonNode sync = get("/api/realtime/sync-status?address=" + user);
    Set<String> verification = Set.of("lastVerified", "verifiedBitcoinHeight", "verifiedSats");
    Set<String> syncExtras = new java.util.HashSet<>(verification);
    syncExtras.add("lastOperation");
    assertMatches("/api/realtime/sync-status", sync, syncExtras, syncExtras);
    assertThat(sync.get("userRegistered").asBoolean()).isTrue();
    assertThat(sync.get("syncAge").isIntegralNumber()).isTrue();
    assertThat(sync.get("lastVerified").isNull()).isTrue();

    // The oracle verified the balance (no sync needed): /sync-status says when and as of which
    // Bitcoin block; an older or unverified observation changes nothing.
    send(
        List.of(
            record(
                Topics.ORACLE_BTC_BALANCES, user, observation(user, btc, 1_764_000_000_000L, true)),
            record(
                Topics.ORACLE_BTC_BALANCES, user, observation(user, btc, 1_763_000_000_000L, true)),
            record(
                Topics.ORACLE_BTC_BALANCES,
                user,
                observation(user, btc, 1_765_000_000_000L, false))));
    await()
        .untilAsserted(
            () -> {
              JsonNode verified = get("/api/realtime/sync-status?address=" + user);
              assertThat(verified.get("lastVerified").asString())
                  .isEqualTo("2025-11-24T16:00:00.000Z");
              assertThat(verified.get("verifiedBitcoinHeight").asLong()).isEqualTo(840_000);
              assertThat(verified.get("verifiedSats").asLong()).isEqualTo(147_145);
            });

    for (String endpoint : List.of("emergency-burns", "yield-status", "disputes")) {
      assertMatches(
          "/api/realtime/" + endpoint,
          get("/api/realtime/" + endpoint + "?address=" + user),
          Set.of("data.riskAlert"),
          Set.of("data.atRisk", "data.riskAlert", "data.recentAlerts", "data.totalSystemDisputes"));
    }
    JsonNode yield = get("/api/realtime/yield-status?address=" + user);
    assertThat(yield.get("currentBalance").asLong()).isEqualTo(147_145);
    assertThat(yield.get("yieldScalesContract").asString())
        .isEqualTo("0xbabfc9b230e34c1726bab00c99032f9e84c1c3fb");
    JsonNode reserves = get("/api/realtime/proof-of-reserves");
    assertMatches(
        "/api/realtime/proof-of-reserves",
        reserves,
        Set.of("data.currentTotals.totalSats", "data.currentTotals.backingRatio"),
        Set.of());
    assertThat(reserves.get("data").get("currentTotals").get("totalRBTC").asLong())
        .isEqualTo(db.queryForObject("SELECT sum(rbtc_sats) FROM gateway.balances", Long.class));

    // Redelivery of every record changes nothing.
    Map<String, Long> before = tableCounts();
    send(records);
    send(chain);
    awaitConsumerCaughtUp();
    assertThat(tableCounts()).isEqualTo(before);
    assertThat(get("/api/realtime/balances?address=" + user).get("rbtc").asLong())
        .isEqualTo(147_145);
  }

  @Test
  void aRetractionRemovesTheTransactionAndRestoresTheBalanceAndARemineReappliesIt() {
    String user = address(0xB2);
    String tx1 = TestRecords.txHash(0xB201);
    String tx2 = TestRecords.txHash(0xB202);
    send(
        List.of(
            record(
                Topics.CHAIN_SYNCED,
                user,
                TestRecords.synced(
                    chainLog(TestRecords.AGGREGATOR, 200, tx1, 0),
                    user,
                    100_000,
                    100_000,
                    "2000000000000000")),
            record(
                Topics.CHAIN_SYNCED,
                user,
                TestRecords.synced(
                    chainLog(TestRecords.AGGREGATOR, 205, tx2, 0),
                    user,
                    150_000,
                    50_000,
                    "1500000000000000"))));
    await().until(() -> rbtc(user) == 150_000);

    ChainLogRef orphaned = chainLog(TestRecords.AGGREGATOR, 205, tx2, 0);
    orphaned.setRetracted(true);
    send(
        List.of(
            record(
                Topics.CHAIN_SYNCED,
                user,
                TestRecords.synced(orphaned, user, 150_000, 50_000, "1500000000000000"))));
    await().until(() -> rbtc(user) == 100_000);
    JsonNode transactions = get("/api/realtime/transactions?address=" + user);
    assertThat(transactions).hasSize(1);
    assertThat(transactions.get(0).get("tx_hash").asString()).isEqualTo(tx1);
    assertThat(count("balance_history WHERE user_address = '" + user + "'")).isEqualTo(1);
    JsonNode balances = get("/api/realtime/balances?address=" + user);
    assertThat(balances.get("blockNumber").asLong()).isEqualTo(200);

    // The same transaction mined again in the new canonical chain is applied again.
    ChainLogRef remined = TestRecords.log(CHAIN, TestRecords.AGGREGATOR, 206, 1, tx2, 0, false);
    send(
        List.of(
            record(
                Topics.CHAIN_SYNCED,
                user,
                TestRecords.synced(remined, user, 150_000, 50_000, "1500000000000000"))));
    await().until(() -> rbtc(user) == 150_000);
    assertThat(get("/api/realtime/transactions?address=" + user)).hasSize(2);
    assertThat(get("/api/realtime/balances?address=" + user).get("blockNumber").asLong())
        .isEqualTo(206);
  }

  /**
   * A wrBTC transfer retracted in a later batch than it was applied leaves both parties' balances
   * as a rebuild that reads both publications in one batch leaves them (checked by the rebuild at
   * the end of the class).
   */
  @Test
  void aTransferRetractedInALaterBatchLeavesTheBalancesARebuildGives() {
    String sender = address(0x7A);
    String recipient = address(0x7B);
    String tx = TestRecords.txHash(0x7A01);
    send(
        List.of(
            record(
                Topics.CHAIN_TOKEN_TRANSFERS,
                sender,
                wrbtc(
                    chainLog(TestRecords.SYNTH, 530, tx, 1),
                    TokenEventKind.TRANSFER,
                    sender,
                    sender,
                    recipient,
                    "2500"))));
    await()
        .until(
            () -> count("balances WHERE user_address = '" + recipient + "' AND wrbtc = 2500") == 1);
    ChainLogRef retracted = chainLog(TestRecords.SYNTH, 530, tx, 1);
    retracted.setRetracted(true);
    send(
        List.of(
            record(
                Topics.CHAIN_TOKEN_TRANSFERS,
                sender,
                wrbtc(retracted, TokenEventKind.TRANSFER, sender, sender, recipient, "2500"))));
    await().until(() -> count("transactions WHERE tx_hash = '" + tx + "'") == 0);
    assertThat(count("balances WHERE user_address = '" + recipient + "' AND wrbtc <> 0")).isZero();
  }

  /** Issue 10, defect 1: the tip flips to another fork and back to the same block. */
  @Test
  void aLogWhoseBlockComesBackAfterItsRetractionIsShownAgain() {
    String user = address(0xB7);
    String tx = TestRecords.txHash(0xB701);
    ChainLogRef atA = chainLog(TestRecords.AGGREGATOR, 210, tx, 0);
    ProducerRecord<String, SpecificRecord> applied =
        record(
            Topics.CHAIN_SYNCED,
            user,
            TestRecords.synced(atA, user, 70_000, 70_000, "1000000000000000"));
    send(List.of(applied));
    await().until(() -> rbtc(user) == 70_000);
    ChainLogRef retracted = chainLog(TestRecords.AGGREGATOR, 210, tx, 0);
    retracted.setRetracted(true);
    send(
        List.of(
            record(
                Topics.CHAIN_SYNCED,
                user,
                TestRecords.synced(retracted, user, 70_000, 70_000, "1000000000000000"))));
    await().until(() -> rbtc(user) == 0);
    assertThat(get("/api/realtime/transactions?address=" + user)).isEmpty();

    send(List.of(applied));
    await().until(() -> rbtc(user) == 70_000);
    JsonNode shown = get("/api/realtime/transactions?address=" + user);
    assertThat(shown).hasSize(1);
    assertThat(shown.get(0).get("tx_hash").asString()).isEqualTo(tx);
    assertThat(count("balance_history WHERE user_address = '" + user + "'")).isEqualTo(1);
  }

  /** Issue 10, defect 1, for disputes: the tip flips to another fork and back to the same block. */
  @Test
  void aDisputeWhoseBlockComesBackAfterItsRetractionIsShownAgain() {
    long chain = 778; // its own chain: no block markers, so no other test's heights apply
    String user = address(0xB8);
    String tx = TestRecords.txHash(0xB801);
    ProducerRecord<String, SpecificRecord> atA =
        record(
            Topics.CHAIN_YIELD_POOL,
            user,
            dispute(poolLog(chain, 620, tx, false), user, "150000", "147145"));
    send(List.of(atA));
    await().until(() -> userDisputes(user).size() == 1);
    send(
        List.of(
            record(
                Topics.CHAIN_YIELD_POOL,
                user,
                dispute(poolLog(chain, 620, tx, true), user, "150000", "147145"))));
    await().until(() -> userDisputes(user).isEmpty());
    assertThat(count("balance_disputes WHERE user_address = '" + user + "'")).isZero();

    send(List.of(atA));
    await()
        .untilAsserted(
            () -> {
              JsonNode data = get("/api/realtime/disputes?address=" + user).get("data");
              assertThat(data.get("userDisputes")).hasSize(1);
              JsonNode shown = data.get("userDisputes").get(0);
              assertThat(shown.get("tx_hash").asString()).isEqualTo(tx);
              assertThat(shown.get("block_number").asLong()).isEqualTo(620);
              assertThat(shown.get("status").asString()).isEqualTo("open");
              assertThat(data.get("hasActiveDispute").asBoolean()).isTrue();
              assertThat(data.get("totalDisputes").asLong()).isEqualTo(1);
            });
    assertThat(count("balance_disputes WHERE user_address = '" + user + "'")).isEqualTo(1);
  }

  private JsonNode userDisputes(String user) {
    return get("/api/realtime/disputes?address=" + user).get("data").get("userDisputes");
  }

  /**
   * Issue 10, defect 5: after a reorg below CONFIRMED the indexer lowers the height; the rows of
   * the blocks above it are PENDING again, in the read API and on the stream.
   */
  @Test
  void aLoweredConfirmedHeightRelabelsRowsAsPendingInTheApiAndOnTheStream() {
    long chain = 6343;
    String user = address(0xC4);
    List<JsonNode> received = new CopyOnWriteArrayList<>();
    List<String> comments = new CopyOnWriteArrayList<>();
    Disposable subscription =
        http.get()
            .uri("/api/realtime/stream?address=" + user)
            .accept(MediaType.TEXT_EVENT_STREAM)
            .exchange()
            .expectStatus()
            .isOk()
            .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {})
            .getResponseBody()
            .subscribe(
                sse -> {
                  if (sse.data() != null) {
                    received.add(parse(sse.data()));
                  } else if (sse.comment() != null) {
                    comments.add(sse.comment());
                  }
                });
    try {
      await().until(() -> comments.contains("connected"));
      String tx = TestRecords.txHash(0xC401);
      send(
          List.of(
              record(
                  Topics.CHAIN_SYNCED,
                  user,
                  TestRecords.synced(
                      TestRecords.log(chain, TestRecords.AGGREGATOR, 400, 0, tx, 0, false),
                      user,
                      8_000,
                      8_000,
                      "1000000000000000")),
              record(
                  Topics.CHAIN_BLOCKS,
                  Keys.chain(chain),
                  TestRecords.marker(chain, BlockMarkerKind.CONFIRMED, 402))));
      await()
          .until(
              () ->
                  get("/api/realtime/transactions?address=" + user).size() == 1
                      && get("/api/realtime/transactions?address=" + user)
                          .get(0)
                          .get("status")
                          .asString()
                          .equals("confirmed"));

      send(
          List.of(
              record(
                  Topics.CHAIN_BLOCKS,
                  Keys.chain(chain),
                  TestRecords.marker(chain, BlockMarkerKind.RETRACTED, 399)),
              record(
                  Topics.CHAIN_BLOCKS,
                  Keys.chain(chain),
                  TestRecords.marker(chain, BlockMarkerKind.CONFIRMED, 398))));
      await()
          .until(
              () ->
                  received.stream()
                      .anyMatch(
                          e ->
                              e.get("type").asString().equals("finality")
                                  && e.get("finality").asString().equals("PENDING")));
      JsonNode row = get("/api/realtime/transactions?address=" + user).get(0);
      assertThat(row.get("status").asString()).isEqualTo("pending");
      assertThat(row.get("metadata").get("finality").asString()).isEqualTo("PENDING");
    } finally {
      subscription.dispose();
    }
  }

  @Test
  void theStreamPushesAnEventAsPendingAndThenConfirmed() {
    long chain = 6342; // its own chain, so its block markers do not touch the other tests' rows
    String user = address(0xC3);
    List<JsonNode> received = new CopyOnWriteArrayList<>();
    List<String> comments = new CopyOnWriteArrayList<>();
    Disposable subscription =
        http.get()
            .uri("/api/realtime/stream?address=" + user)
            .accept(MediaType.TEXT_EVENT_STREAM)
            .exchange()
            .expectStatus()
            .isOk()
            .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {})
            .getResponseBody()
            .subscribe(
                sse -> {
                  if (sse.data() != null) {
                    received.add(parse(sse.data()));
                  } else if (sse.comment() != null) {
                    comments.add(sse.comment());
                  }
                });
    try {
      await().until(() -> comments.contains("connected") && hub.subscriberCount() > 0);

      String tx = TestRecords.txHash(0xC301);
      send(
          List.of(
              record(
                  Topics.CHAIN_SYNCED,
                  user,
                  TestRecords.synced(
                      TestRecords.log(chain, TestRecords.AGGREGATOR, 300, 0, tx, 4, false),
                      user,
                      5_000,
                      5_000,
                      "1050000000000000"))));
      await()
          .until(
              () ->
                  received.stream()
                      .anyMatch(
                          e ->
                              e.get("type").asString().equals("transaction")
                                  && e.get("finality").asString().equals("PENDING")));
      JsonNode pending = received.get(0);
      assertThat(pending.get("address").asString()).isEqualTo(user);
      assertThat(pending.get("eventId").asString()).isEqualTo(chain + ":" + tx + ":4");
      assertThat(pending.get("transaction").get("tx_type").asString()).isEqualTo("MINT");
      assertThat(pending.get("transaction").get("status").asString()).isEqualTo("pending");

      send(
          List.of(
              record(
                  Topics.CHAIN_BLOCKS,
                  Keys.chain(chain),
                  TestRecords.marker(chain, BlockMarkerKind.CONFIRMED, 300))));
      await()
          .until(
              () ->
                  received.stream()
                      .anyMatch(
                          e ->
                              e.get("type").asString().equals("finality")
                                  && e.get("finality").asString().equals("CONFIRMED")));
      assertThat(get("/api/realtime/transactions?address=" + user).get(0).get("status").asString())
          .isEqualTo("confirmed");

      // A log that arrives after its block was confirmed is stored as confirmed at once.
      send(
          List.of(
              record(
                  Topics.CHAIN_SYNCED,
                  user,
                  TestRecords.synced(
                      TestRecords.log(
                          chain,
                          TestRecords.AGGREGATOR,
                          299,
                          0,
                          TestRecords.txHash(0xC302),
                          0,
                          false),
                      user,
                      4_000,
                      4_000,
                      "1040000000000000"))));
      await()
          .until(
              () ->
                  received.stream()
                      .anyMatch(
                          e ->
                              e.get("type").asString().equals("transaction")
                                  && e.get("eventId")
                                      .asString()
                                      .endsWith(TestRecords.txHash(0xC302) + ":0")
                                  && e.get("finality").asString().equals("CONFIRMED")));
      // The latest Synced by block order defines the balance, not the arrival order.
      assertThat(rbtc(user)).isEqualTo(5_000);
      await().until(() -> comments.contains("heartbeat"));
    } finally {
      subscription.dispose();
    }
  }

  @Test
  void rejectsMalformedInputWithJsonErrors() {
    String valid = address(0xD4);
    expectError("/api/realtime/balances?address=0x123", 400, "invalid_address");
    expectError("/api/realtime/balances", 400, "invalid_address");
    expectError("/api/realtime/balances?address=", 400, "invalid_address");
    expectError("/api/realtime/sync-status?address=not-an-address", 400, "invalid_address");
    expectError("/api/realtime/bitcoin-addresses?address=0x12", 400, "invalid_address");
    expectError("/api/realtime/stream?address=0x12", 400, "invalid_address");
    expectError("/api/realtime/transactions?address=" + valid + "&limit=0", 400, "invalid_limit");
    expectError("/api/realtime/transactions?address=" + valid + "&limit=501", 400, "invalid_limit");
    expectError("/api/realtime/transactions?address=" + valid + "&limit=ten", 400, "invalid_limit");
    expectError(
        "/api/realtime/transactions?address=" + valid + "&offset=-1", 400, "invalid_offset");
    expectError("/api/realtime/nothing-here", 404, "not_found");
    expectError("/no/such/route", 404, "not_found");

    JsonNode unknownButValid = get("/api/realtime/balances?address=" + valid);
    assertThat(unknownButValid.get("rbtc").asLong()).isZero();
    assertThat(unknownButValid.get("lastUpdate").isNull()).isTrue();
    assertThat(get("/api/realtime/transactions?address=" + valid)).isEmpty();
  }

  @Test
  void sendsUndecodableRecordsToTheDeadLetterTopic() {
    String key = address(0xE5);
    Properties props = producerProperties();
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    byte[] garbage = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
      producer.send(new ProducerRecord<>(Topics.CHAIN_SYNCED.name(), key, garbage)).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    Properties consumerProps = new Properties();
    consumerProps.put(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedInfrastructure.kafkaBootstrapServers());
    consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "dlt-reader");
    consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(consumerProps, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(Topics.CHAIN_SYNCED.deadLetter()));
      List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(dead::add);
                return dead.stream().anyMatch(r -> key.equals(r.key()));
              });
      ConsumerRecord<String, byte[]> letter =
          dead.stream().filter(r -> key.equals(r.key())).findFirst().orElseThrow();
      assertThat(letter.value()).isEqualTo(garbage);
    }
  }

  @Test
  void snapshotsBalancesDailyAndDropsSnapshotsPastTheRetention() {
    String user = address(0xF6);
    send(
        List.of(
            record(
                Topics.CHAIN_SYNCED,
                user,
                TestRecords.synced(
                    chainLog(TestRecords.AGGREGATOR, 400, TestRecords.txHash(0xF601), 0),
                    user,
                    42_000,
                    42_000,
                    "1420000000000000"))));
    await().until(() -> rbtc(user) == 42_000);
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    db.update(
        "INSERT INTO gateway.balance_snapshots (user_address, snapshot_date, rbtc_sats, wrbtc,"
            + " fee_vault_wei) VALUES (?, ?, 1, 0, 0)",
        user,
        today.minusDays(91));
    db.update(
        "INSERT INTO gateway.balance_snapshots (user_address, snapshot_date, rbtc_sats, wrbtc,"
            + " fee_vault_wei) VALUES (?, ?, 2, 0, 0)",
        user,
        today.minusDays(89));

    BalanceSnapshotJob.Result first = snapshots.run();
    BalanceSnapshotJob.Result again = snapshots.run();

    assertThat(first.taken()).isEqualTo(count("balances"));
    assertThat(first.deleted()).isGreaterThanOrEqualTo(1);
    assertThat(again.deleted()).isZero();
    assertThat(
            db.queryForList(
                "SELECT snapshot_date FROM gateway.balance_snapshots WHERE user_address = ?"
                    + " ORDER BY snapshot_date",
                LocalDate.class,
                user))
        .containsExactly(today.minusDays(89), today);
    assertThat(
            db.queryForObject(
                "SELECT rbtc_sats FROM gateway.balance_snapshots WHERE user_address = ?"
                    + " AND snapshot_date = ?",
                Long.class,
                user,
                today))
        .isEqualTo(42_000);
  }

  @Test
  void projectsEmergencyBurnsWrbtcTransfersOperationsUnbindingsAndAttestations() {
    String user = address(0x71);
    String friend = address(0x72);
    String burnTx = TestRecords.txHash(0x7101);
    long now = System.currentTimeMillis();
    send(
        List.of(
            // the emergency burn's Synced arrives before its EmergencyBurn log
            record(
                Topics.CHAIN_SYNCED,
                user,
                TestRecords.synced(
                    chainLog(TestRecords.AGGREGATOR, 500, TestRecords.txHash(0x7100), 0),
                    user,
                    8_000,
                    8_000,
                    "1080000000000000")),
            record(
                Topics.CHAIN_SYNCED,
                user,
                TestRecords.synced(
                    chainLog(TestRecords.AGGREGATOR, 510, burnTx, 2), user, 0, -8_000, "0")),
            record(
                Topics.CHAIN_EMERGENCY_BURNS,
                user,
                EmergencyBurnEvent.newBuilder()
                    .setLog(chainLog(TestRecords.AGGREGATOR, 510, burnTx, 1))
                    .setSource(EmergencyBurnSource.ORACLE_AGGREGATOR)
                    .setUser(user)
                    .setBurnedAmount("8000")
                    .setReason("Insufficient fees")
                    .build()),
            record(
                Topics.CHAIN_TOKEN_TRANSFERS,
                user,
                wrbtc(
                    chainLog(TestRecords.SYNTH, 501, TestRecords.txHash(0x7102), 0),
                    TokenEventKind.MINT,
                    user,
                    "0x" + "00".repeat(20),
                    user,
                    "3000")),
            record(
                Topics.CHAIN_TOKEN_TRANSFERS,
                user,
                wrbtc(
                    chainLog(TestRecords.SYNTH, 502, TestRecords.txHash(0x7103), 0),
                    TokenEventKind.TRANSFER,
                    user,
                    user,
                    friend,
                    "1200")),
            record(
                Topics.ORACLE_OPERATIONS,
                user,
                operation(user, "op-71", OperationStatus.SUBMITTED, now - 2_000)),
            record(
                Topics.ORACLE_OPERATIONS,
                user,
                operation(user, "op-71", OperationStatus.CONFIRMED, now - 1_000)),
            record(
                Topics.ORACLE_BINDINGS,
                user,
                TestRecords.bound(
                    user, "tb1qexampleunbound0000000000000000000000000", now - 5_000)),
            record(
                Topics.ORACLE_BINDINGS,
                user,
                BindingEvent.newBuilder(
                        TestRecords.bound(
                            user, "tb1qexampleunbound0000000000000000000000000", now - 4_000))
                    .setKind(BindingKind.UNBOUND)
                    .setSignatureScheme("")
                    .setMessageTimestamp(0)
                    .build()),
            record(
                Topics.RESERVES_ATTESTATIONS,
                Keys.GLOBAL,
                ReserveAttestation.newBuilder()
                    .setBtcHeight(900_000)
                    .setBtcTipHash("00".repeat(32))
                    .setMerkleRoot("ab".repeat(32))
                    .setLeafCount(2)
                    .setTotalConfirmedSats(1_234_567)
                    .setSynthTotalSupply("1234567")
                    .setBackingRatio("100.00")
                    .setCreatedAtMillis(now)
                    .build())));
    await()
        .until(
            () ->
                count("proof_of_reserves") == 1
                    && count("sync_status WHERE last_status = 'CONFIRMED'") >= 1
                    && count("transactions WHERE user_address = '" + user + "'") == 5
                    && count("bitcoin_addresses WHERE NOT is_monitoring") >= 1);

    JsonNode burns = get("/api/realtime/emergency-burns?address=" + user);
    assertMatches(
        "/api/realtime/emergency-burns",
        burns,
        Set.of("data.riskAlert"),
        Set.of("data.atRisk", "data.riskAlert", "data.recentAlerts"));
    assertThat(burns.get("data").get("hasEmergencyBurns").asBoolean()).isTrue();
    assertThat(burns.get("data").get("userBurns")).hasSize(1);
    assertThat(burns.get("data").get("userBurns").get(0).get("burned_amount").asString())
        .isEqualTo("8000");
    assertThat(burns.get("data").get("emergencyTransactions")).hasSize(1);
    assertThat(burns.get("data").get("emergencyTransactions").get(0).get("tx_type").asString())
        .isEqualTo("BURN");
    assertThat(burns.get("data").get("totalSystemBurns").asLong()).isGreaterThanOrEqualTo(1);

    JsonNode balances = get("/api/realtime/balances?address=" + user);
    assertThat(balances.get("rbtc").asLong()).isZero();
    assertThat(balances.get("wrbtc").asString()).isEqualTo("1800");
    assertThat(get("/api/realtime/balances?address=" + friend).get("wrbtc").asString())
        .isEqualTo("1200");
    JsonNode received = get("/api/realtime/transactions?address=" + friend);
    assertThat(received).hasSize(1);
    assertThat(received.get(0).get("tx_type").asString()).isEqualTo("WRBTC_TRANSFER");
    assertThat(received.get(0).get("delta").asString()).isEqualTo("1200");
    assertThat(received.get(0).get("user_address").asString()).isEqualTo(friend);

    JsonNode sync = get("/api/realtime/sync-status?address=" + user);
    assertThat(sync.get("lastOperation").get("status").asString()).isEqualTo("CONFIRMED");
    assertThat(sync.get("isRecent").asBoolean()).isTrue();
    assertThat(sync.get("status").asString()).isEqualTo("recent");
    assertThat(sync.get("synced").asBoolean()).isTrue();

    JsonNode binding =
        get("/api/realtime/bitcoin-addresses?address=" + user).get("bitcoinAddresses").get(0);
    assertThat(binding.get("is_monitoring").asBoolean()).isFalse();
    assertThat(binding.get("monitoring_started_at").isNull()).isTrue();

    JsonNode reserves = get("/api/realtime/proof-of-reserves");
    assertMatches("/api/realtime/proof-of-reserves", reserves, Set.of(), Set.of());
    assertThat(reserves.get("data").get("currentTotals").get("totalSats").asLong())
        .isEqualTo(1_234_567);
    assertThat(reserves.get("data").get("latestProof").get("btcHeight").asLong())
        .isEqualTo(900_000);
  }

  @Test
  void anEmergencyBurnLogIsStoredAsAnEmergencyBurnAndThePoolsIsListedAsOne() {
    String user = address(0x75);
    String aggregatorTx = TestRecords.txHash(0x7500);
    String poolTx = TestRecords.txHash(0x7501);
    send(
        List.of(
            record(
                Topics.CHAIN_EMERGENCY_BURNS,
                user,
                EmergencyBurnEvent.newBuilder()
                    .setLog(chainLog(TestRecords.AGGREGATOR, 520, aggregatorTx, 1))
                    .setSource(EmergencyBurnSource.ORACLE_AGGREGATOR)
                    .setUser(user)
                    .setBurnedAmount("700")
                    .setReason("Insufficient fees")
                    .build()),
            record(
                Topics.CHAIN_EMERGENCY_BURNS,
                user,
                EmergencyBurnEvent.newBuilder()
                    .setLog(chainLog(TestRecords.YIELD_POOL, 521, poolTx, 0))
                    .setSource(EmergencyBurnSource.YIELD_POOL)
                    .setUser(user)
                    .setBurnedAmount("300")
                    .setReason("Pool burn")
                    .build())));
    await().until(() -> count("transactions WHERE user_address = '" + user + "'") == 2);

    assertThat(
            count(
                "transactions WHERE user_address = '"
                    + user
                    + "' AND tx_type = 'EMERGENCY_BURN' AND is_emergency_burn"))
        .as("both EmergencyBurn logs flagged as emergency burns")
        .isEqualTo(2);
    JsonNode listed =
        get("/api/realtime/emergency-burns?address=" + user)
            .get("data")
            .get("emergencyTransactions");
    assertThat(listed).as("the pool's burn, which has no Synced row, listed itself").hasSize(1);
    assertThat(listed.get(0).get("tx_hash").asString()).isEqualTo(poolTx);
  }

  @Test
  void projectsAlertsParticipantStatesAndDisputesIntoTheApiAndTheStream() {
    long chain = 777; // its own chain: its block markers must not touch other tests' rows
    String user = address(0x81);
    String trader = address(0x82);
    long now = System.currentTimeMillis();
    long day = 86_400_000L;
    List<JsonNode> received = new CopyOnWriteArrayList<>();
    List<String> comments = new CopyOnWriteArrayList<>();
    Disposable stream = subscribe(user, received, comments);
    try {
      await().until(() -> comments.contains("connected"));
      // read (and cache) the empty state first: the projections must invalidate it
      assertThat(
              get("/api/realtime/emergency-burns?address=" + user)
                  .get("data")
                  .get("atRisk")
                  .asBoolean())
          .isFalse();
      JsonNode yieldBefore = get("/api/realtime/yield-status?address=" + user);
      assertThat(yieldBefore.get("isParticipant").asBoolean()).isFalse();
      // other tests of the class add participants of their own: the counts are compared as changes
      JsonNode statsBefore = yieldBefore.get("systemStats");
      assertThat(
              get("/api/realtime/disputes?address=" + user)
                  .get("data")
                  .get("totalDisputes")
                  .asLong())
          .isZero();

      String disputeTx1 = TestRecords.txHash(0x8101);
      String disputeTx2 = TestRecords.txHash(0x8102);
      List<ProducerRecord<String, SpecificRecord>> records =
          List.of(
              record(Topics.EMERGENCY_ALERTS, user, alert(user, AlertKind.AT_RISK, now - 3_000)),
              record(
                  Topics.YIELD_PARTICIPANTS,
                  user,
                  // A burned holder the pool still credits: the yield service says so.
                  YieldParticipantState.newBuilder(
                          participant(user, 0, now - 200 * day, now - 2_000, LoyaltyTier.SILVER))
                      .setRegistrationStatus("REGISTERED")
                      .setRbtcBalanceSats(0L)
                      .setPoolInStep(false)
                      .setPoolContributionSats("147145")
                      .setPoolDesiredSats(0L)
                      .setPoolPendingCall("emergencyBurn")
                      .setPoolCheckedAtMillis(now - 1_000)
                      .build()),
              record(
                  Topics.YIELD_PARTICIPANTS,
                  trader,
                  participant(trader, 1, now - 400 * day, now - 2_000, LoyaltyTier.GOLD)),
              record(
                  Topics.CHAIN_YIELD_POOL,
                  user,
                  dispute(poolLog(chain, 600, disputeTx1, false), user, "150000", "147145")),
              record(
                  Topics.CHAIN_YIELD_POOL,
                  user,
                  dispute(poolLog(chain, 601, disputeTx2, false), user, "160000", "147145")),
              record(
                  Topics.CHAIN_YIELD_POOL,
                  user,
                  YieldPoolEvent.newBuilder()
                      .setLog(poolLog(chain, 601, TestRecords.txHash(0x8103), false))
                      .setPayload(YieldClaimed.newBuilder().setUser(user).setAmount("12").build())
                      .build()));
      send(records);
      await()
          .until(
              () ->
                  count("emergency_alerts WHERE user_address = '" + user + "'") == 1
                      && count("yield_scales_participants") >= 2
                      && count("balance_disputes WHERE user_address = '" + user + "'") == 2);

      JsonNode burns = get("/api/realtime/emergency-burns?address=" + user);
      assertMatches(
          "/api/realtime/emergency-burns",
          burns,
          Set.of("data.riskAlert.rbtcBalanceSats"),
          Set.of("data.atRisk", "data.riskAlert", "data.recentAlerts"));
      assertThat(burns.get("data").get("atRisk").asBoolean()).isTrue();
      assertThat(burns.get("data").get("riskAlert").get("kind").asString()).isEqualTo("AT_RISK");
      assertThat(burns.get("data").get("riskAlert").get("feeVaultBalanceWei").asString())
          .isEqualTo("500000000000000");
      assertThat(burns.get("data").get("recentAlerts")).hasSize(1);

      JsonNode yield = get("/api/realtime/yield-status?address=" + user);
      assertMatches("/api/realtime/yield-status", yield, Set.of(), Set.of("participantData.pool"));
      assertThat(yield.get("isParticipant").asBoolean()).isTrue();
      JsonNode pool = yield.get("participantData").get("pool");
      assertThat(pool.get("registrationStatus").asString()).isEqualTo("REGISTERED");
      assertThat(pool.get("rbtcBalanceSats").asLong()).isZero();
      assertThat(pool.get("inStep").asBoolean()).isFalse();
      assertThat(pool.get("contributionSats").asString()).isEqualTo("147145");
      assertThat(pool.get("desiredSats").asLong()).isZero();
      assertThat(pool.get("pendingCall").asString()).isEqualTo("emergencyBurn");
      assertThat(pool.get("checkedAt").asString()).doesNotEndWith("Z");
      // A state without pool fields (published before they existed) shows none.
      assertThat(
              get("/api/realtime/yield-status?address=" + trader)
                  .get("participantData")
                  .has("pool"))
          .isFalse();
      assertThat(yield.get("participantData").get("tier").asString()).isEqualTo("SILVER");
      assertThat(yield.get("participantData").get("multiplierPercent").asInt()).isEqualTo(125);
      assertThat(yield.get("participantData").get("contributionSats").asLong()).isEqualTo(147_145);
      JsonNode stats = yield.get("systemStats");
      assertThat(added(stats, statsBefore, "totalParticipants")).isEqualTo(2);
      assertThat(added(stats, statsBefore, "bitcoinHolders")).isEqualTo(1);
      assertThat(added(stats, statsBefore, "traders")).isEqualTo(1);
      assertThat(added(stats, statsBefore, "bronzeTier")).isZero();
      assertThat(added(stats, statsBefore, "silverTier")).isEqualTo(1);
      assertThat(added(stats, statsBefore, "goldTier")).isEqualTo(1);

      JsonNode disputes = get("/api/realtime/disputes?address=" + user);
      assertMatches(
          "/api/realtime/disputes", disputes, Set.of(), Set.of("data.totalSystemDisputes"));
      JsonNode userDisputes = disputes.get("data").get("userDisputes");
      assertThat(userDisputes).hasSize(2);
      assertThat(userDisputes.get(0).get("tx_hash").asString()).isEqualTo(disputeTx2);
      assertThat(userDisputes.get(0).get("status").asString()).isEqualTo("open");
      assertThat(userDisputes.get(0).get("reported_balance").asString()).isEqualTo("160000");
      assertThat(userDisputes.get(1).get("status").asString()).isEqualTo("superseded");
      assertThat(disputes.get("data").get("hasActiveDispute").asBoolean()).isTrue();
      assertThat(disputes.get("data").get("totalDisputes").asLong()).isEqualTo(2);

      await()
          .untilAsserted(
              () ->
                  assertThat(types(received))
                      .containsExactlyInAnyOrder("alert", "yield", "dispute", "dispute"));
      JsonNode alert =
          received.stream()
              .filter(e -> e.get("type").asString().equals("alert"))
              .findFirst()
              .orElseThrow();
      assertThat(alert.get("alert").get("kind").asString()).isEqualTo("AT_RISK");
      assertThat(alert.get("address").asString()).isEqualTo(user);

      // Redelivery changes nothing and pushes nothing.
      Map<String, Long> before = tableCounts();
      int pushed = received.size();
      send(records);
      awaitConsumerCaughtUp();
      assertThat(tableCounts()).isEqualTo(before);
      assertThat(count("emergency_alerts WHERE user_address = '" + user + "'")).isEqualTo(1);
      assertThat(received.stream().filter(e -> e.has("type")).count()).isEqualTo(pushed);

      // The risk clears, the newer dispute is retracted by a reorg, the older one confirmed.
      send(
          List.of(
              record(Topics.EMERGENCY_ALERTS, user, alert(user, AlertKind.CLEARED, now - 1_000)),
              record(
                  Topics.CHAIN_YIELD_POOL,
                  user,
                  dispute(poolLog(chain, 601, disputeTx2, true), user, "160000", "147145")),
              record(
                  Topics.CHAIN_BLOCKS,
                  Keys.chain(chain),
                  TestRecords.marker(chain, BlockMarkerKind.CONFIRMED, 600))));
      await()
          .untilAsserted(
              () -> {
                JsonNode after = get("/api/realtime/disputes?address=" + user).get("data");
                assertThat(after.get("userDisputes")).hasSize(1);
                assertThat(after.get("userDisputes").get(0).get("tx_hash").asString())
                    .isEqualTo(disputeTx1);
                assertThat(after.get("userDisputes").get(0).get("status").asString())
                    .isEqualTo("open");
                assertThat(after.get("userDisputes").get(0).get("finality").asString())
                    .isEqualTo("CONFIRMED");
              });
      JsonNode cleared = get("/api/realtime/emergency-burns?address=" + user).get("data");
      assertThat(cleared.get("atRisk").asBoolean()).isFalse();
      assertThat(cleared.get("recentAlerts")).hasSize(2);
      assertThat(cleared.get("recentAlerts").get(0).get("kind").asString()).isEqualTo("CLEARED");
      await()
          .until(
              () ->
                  received.stream()
                      .anyMatch(
                          e ->
                              e.get("type").asString().equals("dispute")
                                  && e.get("finality").asString().equals("RETRACTED")));
    } finally {
      stream.dispose();
    }
  }

  private Disposable subscribe(String user, List<JsonNode> received, List<String> comments) {
    return http.get()
        .uri("/api/realtime/stream?address=" + user)
        .accept(MediaType.TEXT_EVENT_STREAM)
        .exchange()
        .expectStatus()
        .isOk()
        .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {})
        .getResponseBody()
        .subscribe(
            sse -> {
              if (sse.data() != null) {
                received.add(parse(sse.data()));
              } else if (sse.comment() != null) {
                comments.add(sse.comment());
              }
            });
  }

  private static List<String> types(List<JsonNode> events) {
    return events.stream().map(e -> e.get("type").asString()).toList();
  }

  private static EmergencyAlert alert(String user, AlertKind kind, long atMillis) {
    return EmergencyAlert.newBuilder()
        .setUser(user)
        .setKind(kind)
        .setRbtcBalanceSats(147_145L)
        .setFeeVaultBalanceWei(kind == AlertKind.AT_RISK ? "500000000000000" : "2000000000000000")
        .setRequiredFeeWei("1000000000000000")
        .setEventId("31337:" + TestRecords.txHash(atMillis) + ":0")
        .setMessage(kind == AlertKind.AT_RISK ? "Deposit ETH into the fee vault." : "Covered.")
        .setOccurredAtMillis(atMillis)
        .build();
  }

  @Test
  void preparesTheDisputeCallForAParticipantsWalletAndRefusesOthers() {
    String participant = address(0x91);
    String stranger = address(0x92);
    long now = System.currentTimeMillis();
    send(
        List.of(
            record(
                Topics.YIELD_PARTICIPANTS,
                participant,
                participant(participant, 0, now - 1_000, now - 500, LoyaltyTier.BRONZE))));
    await()
        .until(
            () ->
                count("yield_scales_participants WHERE user_address = '" + participant + "'") == 1);

    JsonNode prepared =
        postDispute(
                "{\"address\":\""
                    + participant.toUpperCase(java.util.Locale.ROOT).replace("0X", "0x")
                    + "\",\"reportedBalance\":\"150000\",\"oracleBalance\":\"90000\"}")
            .expectStatus()
            .isOk()
            .expectBody(JsonNode.class)
            .returnResult()
            .getResponseBody();
    JsonNode call = prepared.get("data").get("transaction");
    assertThat(call.get("from").asString()).isEqualTo(participant);
    assertThat(call.get("to").asString()).isEqualTo("0xbabfc9b230e34c1726bab00c99032f9e84c1c3fb");
    assertThat(call.get("data").asString())
        .isEqualTo(
            "0xe7bb1404"
                + "00000000000000000000000000000000000000000000000000000000000249f0"
                + "0000000000000000000000000000000000000000000000000000000000015f90");
    assertThat(call.get("value").asString()).isEqualTo("0x0");

    JsonNode refused =
        postDispute(
                "{\"address\":\""
                    + stranger
                    + "\",\"reportedBalance\":\"1\",\"oracleBalance\":\"2\"}")
            .expectStatus()
            .isEqualTo(409)
            .expectBody(JsonNode.class)
            .returnResult()
            .getResponseBody();
    assertThat(refused.get("error").asString()).isEqualTo("not_a_participant");
    postDispute("{\"address\":\"" + participant + "\"}").expectStatus().isBadRequest();
    http.post()
        .uri("/api/realtime/disputes")
        .contentType(MediaType.TEXT_PLAIN)
        .bodyValue("hello")
        .exchange()
        .expectStatus()
        .isEqualTo(415);
    assertThat(count("balance_disputes WHERE user_address = '" + participant + "'")).isZero();
  }

  private static long added(JsonNode after, JsonNode before, String field) {
    return after.get(field).asLong() - before.get(field).asLong();
  }

  private WebTestClient.ResponseSpec postDispute(String body) {
    return http.post()
        .uri("/api/realtime/disputes")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange();
  }

  private static YieldParticipantState participant(
      String user, int type, long joinedMillis, long updatedMillis, LoyaltyTier tier) {
    return YieldParticipantState.newBuilder()
        .setUser(user)
        .setParticipantType(type)
        .setEligible(true)
        .setRegisteredOnChain(true)
        .setTier(tier)
        .setContributionSats(147_145)
        .setAccruedYield("1234")
        .setJoinedAtMillis(joinedMillis)
        .setUpdatedAtMillis(updatedMillis)
        .build();
  }

  private static ChainLogRef poolLog(long chain, long block, String tx, boolean retracted) {
    return TestRecords.log(chain, TestRecords.YIELD_POOL, block, 0, tx, 0, retracted);
  }

  private static YieldPoolEvent dispute(
      ChainLogRef log, String user, String reported, String oracle) {
    return YieldPoolEvent.newBuilder()
        .setLog(log)
        .setPayload(
            BalanceDisputed.newBuilder()
                .setUser(user)
                .setReportedBalance(reported)
                .setOracleBalance(oracle)
                .build())
        .build();
  }

  private static TokenEvent wrbtc(
      ChainLogRef log, TokenEventKind kind, String user, String from, String to, String amount) {
    return TokenEvent.newBuilder()
        .setLog(log)
        .setToken(Token.WRBTC)
        .setKind(kind)
        .setUser(user)
        .setFrom(from)
        .setTo(to)
        .setAmount(amount)
        .build();
  }

  private static OracleOperation operation(
      String user, String id, OperationStatus status, long atMillis) {
    return OracleOperation.newBuilder()
        .setOperationId(id)
        .setEthAddress(user)
        .setStatus(status)
        .setTargetSats(8_000L)
        .setOccurredAtMillis(atMillis)
        .build();
  }

  /**
   * Issue 11: replaying every topic from offset 0 into empty tables gives the tables the
   * incremental run built, row for row (apart from when each row was written and serial ids). Runs
   * last: it rebuilds from what every other test produced.
   */
  @Test
  @Order(Integer.MAX_VALUE)
  void aRebuildFromOffsetZeroIntoEmptyTablesGivesTheSameTables() {
    awaitConsumerCaughtUp();
    awaitApplied();
    Map<String, List<String>> built = derivedTables();
    assertThat(built.get("transactions")).hasSizeGreaterThan(10);
    assertThat(built.get("balance_disputes")).isNotEmpty();

    container.stop();
    await().until(() -> !container.isRunning());
    List<String> emptied = new java.util.ArrayList<>(built.keySet());
    emptied.addAll(List.of("consumer_positions", "chain_publications", "chain_heights"));
    db.execute(
        "TRUNCATE " + emptied.stream().map(t -> "gateway." + t).collect(Collectors.joining(", ")));
    container.start();
    awaitApplied();
    assertThat(derivedTables()).isEqualTo(built);
  }

  @Test
  void servesTheOpenApiDocumentHealthMetricsAndCors() {
    JsonNode openApi = get("/v3/api-docs");
    assertThat(openApi.get("paths").propertyNames())
        .contains(
            "/api/realtime/balances",
            "/api/realtime/transactions",
            "/api/realtime/sync-status",
            "/api/realtime/bitcoin-addresses",
            "/api/realtime/emergency-burns",
            "/api/realtime/yield-status",
            "/api/realtime/disputes",
            "/api/realtime/proof-of-reserves",
            "/api/realtime/stream");
    http.get()
        .uri("/v3/api-docs.yaml")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .value(yaml -> assertThat(yaml).contains("/api/realtime/transactions:"));

    http.get()
        .uri("/actuator/health/readiness")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .value(body -> assertThat(body).contains("UP"));
    http.get()
        .uri("/actuator/prometheus")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .value(body -> assertThat(body).contains("rbtc_gateway_sse_subscribers"));

    http.get()
        .uri("/api/realtime/proof-of-reserves")
        .header("Origin", "https://app.example")
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .valueEquals("Access-Control-Allow-Origin", "https://app.example");
    http.post()
        .uri("/api/realtime/proof-of-reserves")
        .header("Origin", "https://app.example")
        .exchange()
        .expectStatus()
        .isForbidden();
  }

  // --- helpers ---

  private static String address(int seed) {
    return String.format("0x%040x", seed);
  }

  private static ChainLogRef chainLog(String contract, long block, String tx, int logIndex) {
    return TestRecords.log(CHAIN, contract, block, 0, tx, logIndex, false);
  }

  private static com.reservebtc.schemas.avro.BtcBalanceObservation observation(
      String user, String btc, long observedAtMillis, boolean verified) {
    return com.reservebtc.schemas.avro.BtcBalanceObservation.newBuilder()
        .setEthAddress(user)
        .setBtcAddress(btc)
        .setConfirmedSats(147_145L)
        .setMinConfirmations(6)
        .setTipHeight(840_000)
        .setTipHash("00".repeat(32))
        .setSources(List.of("a", "b"))
        .setAgreed(true)
        .setObservedAtMillis(observedAtMillis)
        .setVerified(verified)
        .build();
  }

  private static ProducerRecord<String, SpecificRecord> record(
      Topic<?> topic, String key, SpecificRecord value) {
    return new ProducerRecord<>(topic.name(), key, value);
  }

  private static Properties producerProperties() {
    Properties props = new Properties();
    props.put(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedInfrastructure.kafkaBootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    return props;
  }

  private static void send(List<ProducerRecord<String, SpecificRecord>> records) {
    try (KafkaProducer<String, SpecificRecord> producer =
        new KafkaProducer<>(
            producerProperties(), new StringSerializer(), new AvroValueSerializer())) {
      for (ProducerRecord<String, SpecificRecord> record : records) {
        producer.send(record).get();
      }
    } catch (Exception e) {
      throw new IllegalStateException("could not produce test records", e);
    }
  }

  private JsonNode get(String uri) {
    byte[] body =
        http.get()
            .uri(uri)
            .accept(MediaType.APPLICATION_JSON)
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
            .expectBody()
            .returnResult()
            .getResponseBody();
    return parse(new String(body, java.nio.charset.StandardCharsets.UTF_8));
  }

  private void expectError(String uri, int status, String code) {
    byte[] body =
        http.get()
            .uri(uri)
            .exchange()
            .expectStatus()
            .isEqualTo(status)
            .expectHeader()
            .contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
            .expectBody()
            .returnResult()
            .getResponseBody();
    JsonNode error = parse(new String(body, java.nio.charset.StandardCharsets.UTF_8));
    assertThat(error.get("error").asString()).as(uri).isEqualTo(code);
    assertThat(error.get("message").asString()).as(uri).isNotBlank();
    assertThat(error.propertyNames()).containsExactlyInAnyOrder("error", "message");
  }

  private long rbtc(String user) {
    List<Long> rows =
        db.queryForList(
            "SELECT rbtc_sats FROM gateway.balances WHERE user_address = ?", Long.class, user);
    return rows.isEmpty() ? -1 : rows.get(0);
  }

  private long count(String fromWhere) {
    return db.queryForObject("SELECT count(*) FROM gateway." + fromWhere, Long.class);
  }

  /** Columns that record when or in which order a row was written, not what it says. */
  private static final Set<String> WRITE_ORDER =
      Set.of(
          "id",
          "projected_at",
          "updated_at",
          "recorded_at",
          "received_at",
          "processed_at",
          "taken_at");

  /**
   * Every table built from the topics (the consumer's own bookkeeping, the outbox, the snapshots
   * the daily job takes and the migration histories aside), each row as text without {@link
   * #WRITE_ORDER} columns, sorted.
   */
  private Map<String, List<String>> derivedTables() {
    Set<String> notDerived =
        Set.of(
            "flyway_schema_history",
            "chain_consumer_schema_history",
            "consumer_positions",
            "chain_publications",
            "chain_heights",
            "dead_letter_replays",
            "chain_outbox",
            "balance_snapshots",
            // the log of pushed stream events and its retention mark, not projected state: a
            // rebuild appends to the log
            "stream_events",
            "stream_retention",
            // the history of changes as they were applied (a rebuild applies other batches, so
            // its intermediate states differ), not state
            "user_audit",
            // what operators enter and the configured deployment, not projected from topics
            "user_profiles",
            "system_contracts");
    Map<String, List<String>> dump = new java.util.TreeMap<>();
    for (String table :
        db.queryForList(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'gateway'"
                + " AND table_type = 'BASE TABLE'",
            String.class)) {
      if (notDerived.contains(table)) {
        continue;
      }
      List<String> columns =
          db
              .queryForList(
                  "SELECT quote_ident(column_name) FROM information_schema.columns"
                      + " WHERE table_schema = 'gateway' AND table_name = ?"
                      + " ORDER BY ordinal_position",
                  String.class,
                  table)
              .stream()
              .filter(c -> !WRITE_ORDER.contains(c))
              .toList();
      dump.put(
          table,
          db.queryForList(
              "SELECT row("
                  + String.join(", ", columns)
                  + ")::text FROM gateway."
                  + table
                  + " ORDER BY 1",
              String.class));
    }
    return dump;
  }

  /** Waits until the gateway's stored positions reach the end of every partition it consumes. */
  private void awaitApplied() {
    Properties props = new Properties();
    props.put(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedInfrastructure.kafkaBootstrapServers());
    try (AdminClient admin = AdminClient.create(props)) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                Map<TopicPartition, Long> ends =
                    admin
                        .listOffsets(
                            Topics.all().stream()
                                .filter(t -> t.readBy(Service.GATEWAY))
                                .flatMap(
                                    t ->
                                        java.util.stream.IntStream.range(0, t.partitions())
                                            .mapToObj(p -> new TopicPartition(t.name(), p)))
                                .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                        .all()
                        .get()
                        .entrySet()
                        .stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
                for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                  Long stored =
                      db.queryForObject(
                          "SELECT coalesce(max(next_offset), 0) FROM gateway.consumer_positions"
                              + " WHERE topic = ? AND partition = ?",
                          Long.class,
                          end.getKey().topic(),
                          end.getKey().partition());
                  if (stored < end.getValue()) {
                    return false;
                  }
                }
                return true;
              });
    }
  }

  private Map<String, Long> tableCounts() {
    return List.of(
            "transactions",
            "processed_events",
            "balance_history",
            "balances",
            "bitcoin_addresses",
            "emergency_alerts",
            "emergency_risk",
            "yield_scales_participants",
            "balance_disputes")
        .stream()
        .collect(Collectors.toMap(t -> t, this::count));
  }

  /** Waits until the gateway's group has committed every record produced so far. */
  private static void awaitConsumerCaughtUp() {
    Properties props = new Properties();
    props.put(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedInfrastructure.kafkaBootstrapServers());
    try (AdminClient admin = AdminClient.create(props)) {
      Set<TopicPartition> partitions =
          Topics.all().stream()
              .filter(t -> t.readBy(Service.GATEWAY))
              .flatMap(
                  t ->
                      java.util.stream.IntStream.range(0, t.partitions())
                          .mapToObj(p -> new TopicPartition(t.name(), p)))
              .collect(Collectors.toSet());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, Long> ends =
                    admin
                        .listOffsets(
                            partitions.stream()
                                .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                        .all()
                        .get()
                        .entrySet()
                        .stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
                return ends.entrySet().stream()
                    .allMatch(
                        e ->
                            e.getValue() == 0
                                || (committed.get(e.getKey()) != null
                                    && committed.get(e.getKey()).offset() >= e.getValue()));
              });
    }
  }
}
