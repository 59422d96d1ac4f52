package com.reservebtc.yield;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.reservebtc.chainconsumer.testing.ChainInfrastructure;
import com.reservebtc.chainconsumer.testing.SchemaDump;
import com.reservebtc.schemas.EventIds;
import com.reservebtc.schemas.Keys;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.BalanceDisputed;
import com.reservebtc.schemas.avro.BlockMarker;
import com.reservebtc.schemas.avro.BlockMarkerKind;
import com.reservebtc.schemas.avro.ChainLogRef;
import com.reservebtc.schemas.avro.EmergencyBurnEvent;
import com.reservebtc.schemas.avro.EmergencyBurnSource;
import com.reservebtc.schemas.avro.Finality;
import com.reservebtc.schemas.avro.LoyaltyTier;
import com.reservebtc.schemas.avro.ParticipantJoined;
import com.reservebtc.schemas.avro.ScalesBalanceUpdated;
import com.reservebtc.schemas.avro.Token;
import com.reservebtc.schemas.avro.TokenEvent;
import com.reservebtc.schemas.avro.TokenEventKind;
import com.reservebtc.schemas.avro.YieldCalculated;
import com.reservebtc.schemas.avro.YieldClaimed;
import com.reservebtc.schemas.avro.YieldParticipantState;
import com.reservebtc.schemas.avro.YieldPoolEvent;
import com.reservebtc.schemas.serde.AvroValueDeserializer;
import com.reservebtc.schemas.serde.AvroValueSerializer;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Drives the service through its real inputs (Avro records on a real broker) and checks its real
 * outputs (rows in a real PostgreSQL, participant states and dead letters on the broker, HTTP).
 * Runs without a pool oracle key, i.e. in off-chain-only mode, as in the local stack. The
 * arithmetic test runs first so that the pool starts empty and the expected yield can be written
 * down as numbers; the redelivery test runs last so that it replays every record of the other
 * tests.
 */
@ExtendWith(ChainInfrastructure.class)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "rbtc.kafka.min-replication=1",
      "rbtc.kafka.min-insync-replicas=1",
      "rbtc.consumer.initial-backoff=50ms",
      "rbtc.outbox.poll-interval=500ms"
    })
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class YieldServiceIT {

  /**
   * This service's tables that are not a function of the consumed topics: registrations and pool
   * checks (its own work with the chain) and their audit rows.
   */
  private static final Set<String> NOT_DERIVED =
      Set.of("pool_registrations", "pool_contributions", "yield_operations_log");

  private static final long CHAIN_ID = 31337;
  private static final String SYNTH = "0x" + "5e".repeat(20);
  private static final String POOL = "0x" + "b0".repeat(20);
  private static final String AGGREGATOR = "0x" + "a1".repeat(20);
  private static final long T0 = 1_700_000_000L;
  private static final long YEAR = 31_536_000L;
  private static final long BTC = 100_000_000L;
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static KafkaProducer<String, SpecificRecord> producer;
  private static KafkaProducer<String, byte[]> rawProducer;
  private static KafkaConsumer<String, SpecificRecord> stateConsumer;
  private static KafkaConsumer<String, byte[]> deadLetterConsumer;
  private static final List<YieldParticipantState> states = new ArrayList<>();
  private static final List<byte[]> deadLetters = new ArrayList<>();

  @Autowired JdbcClient jdbc;

  @Autowired
  @Qualifier("chainConsumerContainer")
  MessageListenerContainer container;

  @Value("${spring.application.name}")
  String groupId;

  @Value("${local.server.port}")
  int port;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", ChainInfrastructure::bootstrapServers);
    registry.add("spring.datasource.url", () -> ChainInfrastructure.jdbcUrl("yield"));
  }

  @BeforeAll
  static void clients() {
    String servers = ChainInfrastructure.bootstrapServers();
    producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers),
            new StringSerializer(),
            new AvroValueSerializer());
    rawProducer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers),
            new StringSerializer(),
            new ByteArraySerializer());
    stateConsumer =
        new KafkaConsumer<>(
            consumerConfig(servers), new StringDeserializer(), new AvroValueDeserializer());
    stateConsumer.subscribe(List.of(Topics.YIELD_PARTICIPANTS.name()));
    deadLetterConsumer =
        new KafkaConsumer<>(
            consumerConfig(servers), new StringDeserializer(), new ByteArrayDeserializer());
    deadLetterConsumer.subscribe(List.of(Topics.CHAIN_TOKEN_TRANSFERS.deadLetter()));
  }

  @AfterAll
  static void closeClients() {
    producer.close();
    rawProducer.close();
    stateConsumer.close();
    deadLetterConsumer.close();
  }

  @Test
  @Order(1)
  void accruesYieldWithThePoolFormulasAndUndoesRetractions() {
    String user = randomAddress();

    // 1 BTC minted at T0: a new, eligible, off-chain participant; supply = peak = 1 BTC (5 bps).
    send(Topics.CHAIN_TOKEN_TRANSFERS.name(), user, token(user, TokenEventKind.MINT, BTC, T0));
    await().atMost(WAIT).until(() -> statesOf(user).size() == 1);
    YieldParticipantState joined = statesOf(user).get(0);
    assertThat(joined.getEligible()).isTrue();
    assertThat(joined.getRegisteredOnChain()).isFalse();
    assertThat(joined.getTier()).isEqualTo(LoyaltyTier.BRONZE);
    assertThat(joined.getContributionSats()).isEqualTo(BTC);
    assertThat(joined.getAccruedYield()).isEqualTo("0");
    assertThat(joined.getJoinedAtMillis()).isEqualTo(T0 * 1000);
    assertThat(joined.getRegistrationStatus()).isEqualTo("OFF_CHAIN");
    assertThat(joined.getRbtcBalanceSats()).isEqualTo(BTC);
    assertThat(participant(user))
        .containsEntry("registered_on_chain", false)
        .containsEntry("eligible", true);
    assertThat(totals(CHAIN_ID)).containsExactly(BTC, BTC);

    // One year later another BTC: the year is settled first at 5 bps and Gold (150 %) = 75,000.
    TokenEvent secondMint = token(user, TokenEventKind.MINT, BTC, T0 + YEAR);
    send(Topics.CHAIN_TOKEN_TRANSFERS.name(), user, secondMint);
    await().atMost(WAIT).until(() -> statesOf(user).size() == 2);
    assertThat(statesOf(user).get(1).getAccruedYield()).isEqualTo("75000");
    assertThat(statesOf(user).get(1).getTier()).isEqualTo(LoyaltyTier.GOLD);
    assertThat(statesOf(user).get(1).getContributionSats()).isEqualTo(2 * BTC);
    assertThat(totals(CHAIN_ID)).containsExactly(2 * BTC, 2 * BTC);

    // Redelivery changes nothing (a zero burn of another user marks the point it was consumed).
    send(Topics.CHAIN_TOKEN_TRANSFERS.name(), user, secondMint);
    String marker = randomAddress();
    send(Topics.CHAIN_TOKEN_TRANSFERS.name(), marker, token(marker, TokenEventKind.BURN, 0, T0));
    await().atMost(WAIT).until(() -> statesOf(marker).size() == 1);
    assertThat(statesOf(user)).hasSize(2);
    assertThat(participant(user)).containsEntry("accrued_yield", new BigDecimal(75_000));
    assertThat(totals(CHAIN_ID)).containsExactly(2 * BTC, 2 * BTC);

    // Burn 1.5 BTC 1000 s later: 2e8 * 5 * 1000 * 150 / 3.1536e13 = 4.75 -> 4.
    TokenEvent burn = token(user, TokenEventKind.BURN, 150_000_000L, T0 + YEAR + 1_000);
    send(Topics.CHAIN_TOKEN_TRANSFERS.name(), user, burn);
    await().atMost(WAIT).until(() -> statesOf(user).size() == 3);
    assertThat(statesOf(user).get(2).getAccruedYield()).isEqualTo("75004");
    assertThat(statesOf(user).get(2).getContributionSats()).isEqualTo(50_000_000L);
    assertThat(totals(CHAIN_ID)).containsExactly(50_000_000L, 2 * BTC);

    // The burn's block is orphaned: the participant is restored exactly, supply too (peak stays).
    send(Topics.CHAIN_TOKEN_TRANSFERS.name(), user, retracted(burn));
    await().atMost(WAIT).until(() -> statesOf(user).size() == 4);
    assertThat(statesOf(user).get(3).getAccruedYield()).isEqualTo("75000");
    assertThat(statesOf(user).get(3).getContributionSats()).isEqualTo(2 * BTC);
    assertThat(totals(CHAIN_ID)).containsExactly(2 * BTC, 2 * BTC);
    assertThat(participant(user)).containsEntry("rbtc_balance_sats", 2 * BTC);

    // ParticipantJoined 2000 s after the second mint: settles 9 (9.51), restarts the loyalty clock.
    YieldPoolEvent joinedOnChain =
        poolEvent(
            T0 + YEAR + 2_000,
            ParticipantJoined.newBuilder()
                .setUser(user)
                .setParticipantType(0)
                .setAmount(Long.toString(2 * BTC))
                .build());
    send(Topics.CHAIN_YIELD_POOL.name(), user, joinedOnChain);
    await().atMost(WAIT).until(() -> statesOf(user).size() == 5);
    YieldParticipantState registered = statesOf(user).get(4);
    assertThat(registered.getRegisteredOnChain()).isTrue();
    assertThat(registered.getAccruedYield()).isEqualTo("75009");
    assertThat(registered.getJoinedAtMillis()).isEqualTo((T0 + YEAR + 2_000) * 1000);
    assertThat(registered.getTier()).isEqualTo(LoyaltyTier.BRONZE);
    assertThat(registered.getRegistrationStatus()).isEqualTo("REGISTERED");

    send(Topics.CHAIN_YIELD_POOL.name(), user, retracted(joinedOnChain));
    await().atMost(WAIT).until(() -> statesOf(user).size() == 6);
    assertThat(statesOf(user).get(5).getRegisteredOnChain()).isFalse();
    assertThat(statesOf(user).get(5).getJoinedAtMillis()).isEqualTo(T0 * 1000);
    assertThat(statesOf(user).get(5).getRegistrationStatus()).isEqualTo("OFF_CHAIN");

    // An emergency burn by the aggregator zeroes the contribution after settling 3000 s: +14.
    EmergencyBurnEvent emergencyBurn =
        EmergencyBurnEvent.newBuilder()
            .setLog(log(AGGREGATOR, T0 + YEAR + 3_000))
            .setSource(EmergencyBurnSource.ORACLE_AGGREGATOR)
            .setUser(user)
            .setBurnedAmount(Long.toString(2 * BTC))
            .setReason("Insufficient fees")
            .build();
    send(Topics.CHAIN_EMERGENCY_BURNS.name(), user, emergencyBurn);
    await().atMost(WAIT).until(() -> statesOf(user).size() == 7);
    assertThat(statesOf(user).get(6).getContributionSats()).isZero();
    assertThat(statesOf(user).get(6).getAccruedYield()).isEqualTo("75014");
    assertThat(statesOf(user).get(6).getUpdatedAtMillis()).isEqualTo((T0 + YEAR + 3_000) * 1000);
    Map<String, Object> settled =
        jdbc.sql(
                """
                select elapsed_seconds, owed, contribution_after, rate_bps, multiplier_pct
                from yield_ledger where event_id = ?
                """)
            .param(EventIds.of(emergencyBurn.getLog()))
            .query()
            .singleRow();
    assertThat(settled)
        .containsEntry("elapsed_seconds", 3_000L)
        .containsEntry("contribution_after", 0L)
        .containsEntry("rate_bps", 5)
        .containsEntry("multiplier_pct", 150);
    assertThat((BigDecimal) settled.get("owed")).isEqualByComparingTo("14");
    assertThat(participant(user))
        .containsEntry("contribution_sats", 0L)
        .containsEntry(
            "last_accrual_at",
            java.sql.Timestamp.from(java.time.Instant.ofEpochSecond(T0 + YEAR + 3_000)));

    // The ledger holds the canonical events only: the retracted burn and join are gone.
    assertThat(operations(user)).containsExactly("MINT", "MINT", "AGGREGATOR_BURN");
  }

  @Test
  @Order(2)
  void storesThePoolsOwnScaleEventsOnceAndDropsRetractedOnes() {
    YieldPoolEvent scales =
        poolEvent(
            T0,
            ScalesBalanceUpdated.newBuilder()
                .setUsdtScale("100")
                .setRbtcScale("100")
                .setScaleTimestamp(Long.toString(T0))
                .build());
    YieldPoolEvent calculated =
        poolEvent(
            T0,
            YieldCalculated.newBuilder()
                .setTotalUsdtVirtual("0")
                .setTotalRbtcSupply("300000000")
                .setCurrentYieldRate("5")
                .build());
    send(Topics.CHAIN_YIELD_POOL.name(), "global", scales);
    send(Topics.CHAIN_YIELD_POOL.name(), "global", calculated);
    send(Topics.CHAIN_YIELD_POOL.name(), "global", scales);
    await().atMost(WAIT).until(() -> scaleRows(calculated) == 1);
    assertThat(scaleRows(scales)).isEqualTo(1);
    assertThat(
            jdbc.sql("select current_yield_rate from yield_scales_state where event_id = ?")
                .param(EventIds.of(calculated.getLog()))
                .query(BigDecimal.class)
                .single())
        .isEqualByComparingTo("5");

    send(Topics.CHAIN_YIELD_POOL.name(), "global", retracted(scales));
    await().atMost(WAIT).until(() -> scaleRows(scales) == 0);
    assertThat(scaleRows(calculated)).isEqualTo(1);
  }

  @Test
  @Order(3)
  void poisonRecordsGoToTheDeadLetterTopicWithoutBlockingLaterRecords() throws Exception {
    byte[] garbage = "definitely not avro".getBytes(StandardCharsets.UTF_8);
    String user = randomAddress();
    rawSend(Topics.CHAIN_TOKEN_TRANSFERS.name(), user, garbage);
    TokenEvent malformed =
        TokenEvent.newBuilder(token(user, TokenEventKind.MINT, 1, T0)).setAmount("-5").build();
    send(Topics.CHAIN_TOKEN_TRANSFERS.name(), user, malformed);
    send(Topics.CHAIN_TOKEN_TRANSFERS.name(), user, token(user, TokenEventKind.MINT, 777, T0));

    await().atMost(WAIT).until(() -> statesOf(user).size() == 1);
    assertThat(statesOf(user).get(0).getContributionSats()).isEqualTo(777);
    await()
        .atMost(WAIT)
        .until(
            () -> {
              drainDeadLetters();
              return deadLetters.stream().anyMatch(d -> Arrays.equals(d, garbage))
                  && deadLetters.stream()
                      .anyMatch(d -> Arrays.equals(d, AvroValueSerializer.encode(malformed)));
            });

    // The operator replay finds both still failing (nothing fixed them): they stay dead letters.
    JsonNode replayed =
        json(post("/api/ops/dead-letters/replay?topic=" + Topics.CHAIN_TOKEN_TRANSFERS.name()));
    assertThat(replayed.get("failed").asInt()).isGreaterThanOrEqualTo(2);
    assertThat(replayed.get("replayed").asInt()).isZero();
    assertThat(participant(user)).containsEntry("rbtc_balance_sats", 777L);
    assertThat(post("/api/ops/dead-letters/replay?topic=rbtc.nothing.v1").statusCode())
        .isEqualTo(400);
  }

  @Test
  @Order(4)
  void servesParticipantsToOperators() throws Exception {
    String user = randomAddress();
    send(Topics.CHAIN_TOKEN_TRANSFERS.name(), user, token(user, TokenEventKind.MINT, 5_000, T0));
    await().atMost(WAIT).until(() -> statesOf(user).size() == 1);

    HttpResponse<String> response = get("/api/yield/participants/" + user);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = JsonMapper.builder().build().readTree(response.body());
    assertThat(body.get("user").asString()).isEqualTo(user);
    assertThat(body.get("eligible").asBoolean()).isTrue();
    assertThat(body.get("registeredOnChain").asBoolean()).isFalse();
    assertThat(body.get("registrationStatus").asString()).isEqualTo("OFF_CHAIN");
    // No pool oracle key (as in the local stack): the service says it only tracks the holder.
    assertThat(body.get("registrationMode").asString()).isEqualTo("OFF_CHAIN_ONLY");
    assertThat(body.get("registration").asString())
        .startsWith("Off-chain only")
        .contains("RBTC_YIELD_POOL_ORACLE_KEY", "ParticipantJoined");
    // Finality comes from the block markers, not from the record: none of this chain yet.
    assertThat(body.get("finality").asString()).isEqualTo("PENDING");
    assertThat(body.get("stateBlockNumber").asLong()).isEqualTo(1);
    assertThat(body.get("contributionSats").asLong()).isEqualTo(5_000);
    // T0 is years before any run of this test: Gold by now.
    assertThat(body.get("tier").asString()).isEqualTo("GOLD");
    assertThat(body.get("multiplierPct").asInt()).isEqualTo(150);

    assertThat(get("/api/yield/participants/" + randomAddress()).statusCode()).isEqualTo(404);
    assertThat(get("/api/yield/participants/0x1234").statusCode()).isEqualTo(400);
    assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
    assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
    assertThat(get("/actuator/prometheus").statusCode()).isEqualTo(200);
  }

  @Test
  @Order(5)
  void finalityOfParticipantsLedgerAndScalesComesFromTheBlockMarkersWhenRead() throws Exception {
    long chain = otherChainId();
    String user = randomAddress();
    send(
        Topics.CHAIN_TOKEN_TRANSFERS.name(),
        user,
        tokenAt(chain, user, TokenEventKind.MINT, 1_000, 100));
    YieldPoolEvent scales =
        YieldPoolEvent.newBuilder()
            .setLog(logAt(chain, POOL, 100))
            .setPayload(
                ScalesBalanceUpdated.newBuilder()
                    .setUsdtScale("100")
                    .setRbtcScale("100")
                    .setScaleTimestamp(Long.toString(T0 + 100))
                    .build())
            .build();
    send(Topics.CHAIN_YIELD_POOL.name(), "global", scales);
    await().atMost(WAIT).until(() -> statesOf(user).size() == 1 && scaleRows(scales) == 1);
    assertThat(participant(user))
        .containsEntry("state_block_number", 100L)
        .containsEntry("chain_id", chain);
    assertThat(apiFinality(user)).isEqualTo("PENDING");
    assertThat(ledgerFinalities(user)).containsOnly("PENDING");
    assertThat(scaleFinality(scales)).isEqualTo("PENDING");

    sendMarker(chain, BlockMarkerKind.CONFIRMED, 100);
    await().atMost(WAIT).until(() -> "CONFIRMED".equals(apiFinality(user)));
    assertThat(ledgerFinalities(user)).containsOnly("CONFIRMED");
    assertThat(scaleFinality(scales)).isEqualTo("CONFIRMED");

    // A newer change makes the state pending again; finalizing the older block settles only the
    // rows of that block.
    send(
        Topics.CHAIN_TOKEN_TRANSFERS.name(),
        user,
        tokenAt(chain, user, TokenEventKind.MINT, 500, 120));
    await().atMost(WAIT).until(() -> statesOf(user).size() == 2);
    assertThat(participant(user)).containsEntry("state_block_number", 120L);
    assertThat(apiFinality(user)).isEqualTo("PENDING");
    sendMarker(chain, BlockMarkerKind.FINALIZED, 100);
    await().atMost(WAIT).until(() -> "FINALIZED".equals(scaleFinality(scales)));
    assertThat(ledgerFinalities(user)).containsExactly("FINALIZED", "PENDING");

    // A log of a block the markers already settled is settled as soon as it is stored.
    String late = randomAddress();
    send(
        Topics.CHAIN_TOKEN_TRANSFERS.name(),
        late,
        tokenAt(chain, late, TokenEventKind.MINT, 7, 90));
    await().atMost(WAIT).until(() -> statesOf(late).size() == 1);
    assertThat(apiFinality(late)).isEqualTo("FINALIZED");
    assertThat(ledgerFinalities(late)).containsOnly("FINALIZED");

    // A reorg lowers the confirmed height: what it no longer covers is pending again.
    sendMarker(chain, BlockMarkerKind.CONFIRMED, 10);
    await().atMost(WAIT).until(() -> heights(chain).equals(List.of(10L, 100L)));
    assertThat(scaleFinality(scales)).isEqualTo("FINALIZED");
    sendMarker(chain, BlockMarkerKind.CONFIRMED, 130);
    await().atMost(WAIT).until(() -> "CONFIRMED".equals(apiFinality(user)));
    JsonNode body = json(get("/api/yield/participants/" + user));
    assertThat(body.get("stateBlockNumber").asLong()).isEqualTo(120);
    assertThat(ledgerFinalities(user)).containsExactly("FINALIZED", "CONFIRMED");

    // A reorg below the confirmed height (the indexer lowers it with the retraction): the state
    // and the ledger row of block 120, confirmed a moment ago, are pending again.
    sendMarker(chain, BlockMarkerKind.CONFIRMED, 110);
    await().atMost(WAIT).until(() -> "PENDING".equals(apiFinality(user)));
    assertThat(ledgerFinalities(user)).containsExactly("FINALIZED", "PENDING");
    assertThat(scaleFinality(scales)).isEqualTo("FINALIZED");
  }

  @Test
  @Order(6)
  void anAggregatorBurnZeroesAHoldersContributionUnlessANewerBlockIsAlreadyApplied() {
    long chain = otherChainId();
    // In order: the emergency burn arrives before the token burn of the same transaction.
    String early = randomAddress();
    send(
        Topics.CHAIN_TOKEN_TRANSFERS.name(),
        early,
        tokenAt(chain, early, TokenEventKind.MINT, 1_000, 10));
    await().atMost(WAIT).until(() -> statesOf(early).size() == 1);
    send(Topics.CHAIN_EMERGENCY_BURNS.name(), early, aggregatorBurn(chain, early, 1_000, 20));
    await().atMost(WAIT).until(() -> statesOf(early).size() == 2);
    assertThat(statesOf(early).get(1).getContributionSats()).isZero();
    assertThat(participant(early)).containsEntry("rbtc_balance_sats", 1_000L);
    send(
        Topics.CHAIN_TOKEN_TRANSFERS.name(),
        early,
        tokenAt(chain, early, TokenEventKind.BURN, 1_000, 20));
    await().atMost(WAIT).until(() -> statesOf(early).size() == 3);
    assertThat(participant(early))
        .containsEntry("rbtc_balance_sats", 0L)
        .containsEntry("contribution_sats", 0L);

    // Late: the burn is consumed after the user minted again in a later block; the balance
    // already accounts for the burn, so the contribution stays what the balance says.
    String late = randomAddress();
    send(
        Topics.CHAIN_TOKEN_TRANSFERS.name(),
        late,
        tokenAt(chain, late, TokenEventKind.MINT, 1_000, 10));
    send(
        Topics.CHAIN_TOKEN_TRANSFERS.name(),
        late,
        tokenAt(chain, late, TokenEventKind.BURN, 1_000, 20));
    send(
        Topics.CHAIN_TOKEN_TRANSFERS.name(),
        late,
        tokenAt(chain, late, TokenEventKind.MINT, 600, 30));
    await().atMost(WAIT).until(() -> operations(late).size() == 3);
    send(Topics.CHAIN_EMERGENCY_BURNS.name(), late, aggregatorBurn(chain, late, 1_000, 20));
    // In chain order the burn precedes the mint of block 30, which sets the contribution again.
    await().atMost(WAIT).until(() -> operations(late).contains("AGGREGATOR_BURN"));
    assertThat(participant(late))
        .containsEntry("rbtc_balance_sats", 600L)
        .containsEntry("contribution_sats", 600L);
  }

  @Test
  @Order(7)
  void thePoolsOwnBurnMirrorsAnAggregatorBurnAndDoesNotLowerTheContributionAgain() {
    long chain = otherChainId();
    String user = randomAddress();
    // Burned by the aggregator in block 20, minted again in block 30: the balance says 600.
    send(
        Topics.CHAIN_TOKEN_TRANSFERS.name(),
        user,
        tokenAt(chain, user, TokenEventKind.MINT, 1_000, 10));
    send(Topics.CHAIN_EMERGENCY_BURNS.name(), user, aggregatorBurn(chain, user, 1_000, 20));
    send(
        Topics.CHAIN_TOKEN_TRANSFERS.name(),
        user,
        tokenAt(chain, user, TokenEventKind.BURN, 1_000, 20));
    send(
        Topics.CHAIN_TOKEN_TRANSFERS.name(),
        user,
        tokenAt(chain, user, TokenEventKind.MINT, 600, 30));
    await().atMost(WAIT).until(() -> operations(user).size() == 4);
    assertThat(participant(user)).containsEntry("contribution_sats", 600L);

    // The pool is told of the aggregator's burn (block 25) and its event arrives after the mint:
    // the burn is already in the balance, so the contribution must stay what the balance says.
    send(Topics.CHAIN_EMERGENCY_BURNS.name(), user, poolBurn(chain, user, 1_000, 25));
    String marker = randomAddress();
    send(Topics.CHAIN_EMERGENCY_BURNS.name(), marker, poolBurn(chain, marker, 1, 26));
    await().atMost(WAIT).until(() -> operations(marker).contains("POOL_BURN"));
    assertThat(operations(user)).contains("POOL_BURN");
    assertThat(participant(user))
        .containsEntry("contribution_sats", 600L)
        .containsEntry("rbtc_balance_sats", 600L);
  }

  /** Issue 10, defect 1: applied in block A, retracted, then A again (the tip flipped back). */
  @Test
  @Order(8)
  void anEventWhoseBlockComesBackAfterItsRetractionIsAppliedAgain() {
    long chain = otherChainId();
    String user = randomAddress();
    TokenEvent mint = tokenAt(chain, user, TokenEventKind.MINT, 4_200, 10);
    send(Topics.CHAIN_TOKEN_TRANSFERS.name(), user, mint);
    send(Topics.CHAIN_TOKEN_TRANSFERS.name(), user, retracted(mint));
    send(Topics.CHAIN_TOKEN_TRANSFERS.name(), user, mint);
    String sentinel = randomAddress();
    send(
        Topics.CHAIN_TOKEN_TRANSFERS.name(),
        user,
        tokenAt(chain, sentinel, TokenEventKind.MINT, 1, 11));
    await().atMost(WAIT).until(() -> statesOf(sentinel).size() == 1);
    assertThat(participant(user))
        .containsEntry("rbtc_balance_sats", 4_200L)
        .containsEntry("contribution_sats", 4_200L);
  }

  /**
   * Issue 10, defect 8: the pool rate at a holder's event comes from the supply at that event's
   * place in the chain, so a mint of another user that is consumed late (it sits on another
   * partition) still counts for the blocks after it.
   */
  @Test
  @Order(9)
  void accrualUsesTheSupplyAtTheEventsPlaceInTheChainWhateverTheArrivalOrder() {
    long chain = otherChainId();
    String holder = randomAddress();
    String other = randomAddress();
    long hundred = 100 * BTC;
    send(Topics.CHAIN_TOKEN_TRANSFERS.name(), holder, timed(chain, holder, true, hundred, 1, 0));
    send(
        Topics.CHAIN_TOKEN_TRANSFERS.name(),
        holder,
        timed(chain, holder, false, hundred / 2, 2, 10));
    send(Topics.CHAIN_TOKEN_TRANSFERS.name(), holder, timed(chain, holder, true, 1, 4, YEAR + 10));
    await().atMost(WAIT).until(() -> statesOf(holder).size() == 3);
    // Block 3, consumed after block 4: the supply is back at its peak from block 3 on.
    send(Topics.CHAIN_TOKEN_TRANSFERS.name(), other, timed(chain, other, true, hundred / 2, 3, 20));
    await().atMost(WAIT).until(() -> statesOf(other).size() == 1);
    // Block 2 settled 10 s of 100 BTC at 5 bps, Bronze: 1. Block 4 settles a year of 50 BTC at
    // 5 bps (supply 100 of peak 100 since block 3), Gold: 3,750,000.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat((BigDecimal) participant(holder).get("accrued_yield"))
                    .isEqualByComparingTo("3750001"));
  }

  private static TokenEvent timed(
      long chain, String user, boolean mint, long sats, long block, long secondsAfterT0) {
    TokenEvent event =
        token(user, mint ? TokenEventKind.MINT : TokenEventKind.BURN, sats, T0 + secondsAfterT0);
    return TokenEvent.newBuilder(event)
        .setLog(
            ChainLogRef.newBuilder(event.getLog())
                .setChainId(chain)
                .setBlockNumber(block)
                .setLogIndex(0)
                .build())
        .build();
  }

  /**
   * Replays every topic from offset 0 after a mix of mints, burns, re-mined and retracted logs,
   * duplicates, pool events, emergency burns, block markers and poison records: no table may
   * change.
   */
  @Test
  @Order(Integer.MAX_VALUE)
  void redeliveryFromOffsetZeroChangesNoTable() throws Exception {
    long chain = otherChainId();
    String user = randomAddress();
    TokenEvent orphaned = tokenAt(chain, user, TokenEventKind.MINT, 9_000, 50);
    TokenEvent remined =
        TokenEvent.newBuilder(orphaned)
            .setLog(
                ChainLogRef.newBuilder(orphaned.getLog())
                    .setBlockNumber(51)
                    .setBlockHash(randomHash())
                    .build())
            .build();
    send(Topics.CHAIN_TOKEN_TRANSFERS.name(), user, orphaned);
    send(Topics.CHAIN_TOKEN_TRANSFERS.name(), user, retracted(orphaned));
    send(Topics.CHAIN_TOKEN_TRANSFERS.name(), user, remined);
    send(Topics.CHAIN_TOKEN_TRANSFERS.name(), user, remined);
    send(
        Topics.CHAIN_YIELD_POOL.name(),
        user,
        YieldPoolEvent.newBuilder()
            .setLog(logAt(chain, POOL, 52))
            .setPayload(
                ParticipantJoined.newBuilder()
                    .setUser(user)
                    .setParticipantType(0)
                    .setAmount("9000")
                    .build())
            .build());
    send(
        Topics.CHAIN_YIELD_POOL.name(),
        user,
        YieldPoolEvent.newBuilder()
            .setLog(logAt(chain, POOL, 53))
            .setPayload(YieldClaimed.newBuilder().setUser(user).setAmount("1").build())
            .build());
    send(
        Topics.CHAIN_YIELD_POOL.name(),
        user,
        YieldPoolEvent.newBuilder()
            .setLog(logAt(chain, POOL, 54))
            .setPayload(
                BalanceDisputed.newBuilder()
                    .setUser(user)
                    .setReportedBalance("9001")
                    .setOracleBalance("9000")
                    .build())
            .build());
    sendMarker(chain, BlockMarkerKind.CONFIRMED, 53);
    send(Topics.CHAIN_EMERGENCY_BURNS.name(), user, aggregatorBurn(chain, user, 9_000, 55));
    byte[] poison = ("poison " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    rawSend(Topics.CHAIN_TOKEN_TRANSFERS.name(), user, poison);
    send(
        Topics.CHAIN_TOKEN_TRANSFERS.name(),
        user,
        tokenAt(chain, user, TokenEventKind.BURN, 9_000, 55));
    sendMarker(chain, BlockMarkerKind.FINALIZED, 55);
    await().atMost(WAIT).until(() -> heights(chain).equals(List.of(53L, 55L)));
    await().atMost(WAIT).until(() -> "FINALIZED".equals(apiFinality(user)));
    await().atMost(WAIT).until(() -> deadLettersEqualTo(poison) == 1);

    try (ConsumerGroupReplay replay =
        new ConsumerGroupReplay(ChainInfrastructure.bootstrapServers(), groupId, container)) {
      replay.awaitCaughtUp(WAIT);
      await().atMost(WAIT).until(() -> pendingOutboxRows() == 0);
      Map<String, List<String>> before = new java.util.LinkedHashMap<>(SchemaDump.of(jdbc));
      assertThat(before.get("yield_scales_participants")).hasSizeGreaterThan(8);
      assertThat(before.get("yield_ledger")).hasSizeGreaterThan(25);
      assertThat(before.get("chain_publications")).hasSizeGreaterThan(30);
      assertThat(before.get("chain_outbox")).hasSizeGreaterThan(15);
      assertThat(before.get("chain_heights")).hasSizeGreaterThanOrEqualTo(2);
      assertThat(replay.partitions().stream().map(p -> p.topic()).distinct().toList())
          .contains(
              Topics.CHAIN_TOKEN_TRANSFERS.name(),
              Topics.CHAIN_YIELD_POOL.name(),
              Topics.CHAIN_EMERGENCY_BURNS.name(),
              Topics.CHAIN_BLOCKS.name());

      // Kafka's offsets at 0: the positions in the database keep every record from being
      // applied (or dead-lettered) again.
      replay.rewindToEarliest(WAIT);
      // A marker of a chain of its own, sent after the rewind, shows the consumer is past it all.
      long sentinel = otherChainId();
      sendMarker(sentinel, BlockMarkerKind.CONFIRMED, 1);
      await().atMost(WAIT).until(() -> heights(sentinel).equals(List.of(1L, -1L)));
      Map<String, List<String>> after = new java.util.LinkedHashMap<>(SchemaDump.of(jdbc));
      for (String moved : List.of("chain_heights", "consumer_positions")) {
        after.remove(moved);
        before.remove(moved);
      }
      assertThat(after).isEqualTo(before);
      assertThat(deadLettersEqualTo(poison)).isEqualTo(1);

      // Issue 11: emptied tables rebuilt from offset 0 equal the incremental run's, row by row.
      Map<String, List<String>> incremental = SchemaDump.derived(jdbc, NOT_DERIVED);
      replay.rebuild(jdbc, WAIT);
      // The poison record dead-lettered a second time proves the topics were read again.
      await().atMost(WAIT).until(() -> deadLettersEqualTo(poison) == 2);
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> assertThat(SchemaDump.derived(jdbc, NOT_DERIVED)).isEqualTo(incremental));
    }
  }

  // --- records -------------------------------------------------------------------------------

  /** A chain id of its own, so that its markers touch no other test's rows. */
  private static long otherChainId() {
    return ThreadLocalRandom.current().nextLong(1_000_000, 2_000_000_000);
  }

  /** A pending log of {@code chain} in {@code block}, timed T0 + block seconds. */
  private static ChainLogRef logAt(long chain, String contract, long block) {
    return ChainLogRef.newBuilder(log(contract, T0 + block))
        .setChainId(chain)
        .setBlockNumber(block)
        .setFinality(Finality.PENDING)
        .build();
  }

  private static TokenEvent tokenAt(
      long chain, String user, TokenEventKind kind, long sats, long block) {
    return TokenEvent.newBuilder(token(user, kind, sats, T0 + block))
        .setLog(logAt(chain, SYNTH, block))
        .build();
  }

  private static EmergencyBurnEvent aggregatorBurn(long chain, String user, long sats, long block) {
    return EmergencyBurnEvent.newBuilder()
        .setLog(logAt(chain, AGGREGATOR, block))
        .setSource(EmergencyBurnSource.ORACLE_AGGREGATOR)
        .setUser(user)
        .setBurnedAmount(Long.toString(sats))
        .setReason("Insufficient fees")
        .build();
  }

  private static EmergencyBurnEvent poolBurn(long chain, String user, long sats, long block) {
    return EmergencyBurnEvent.newBuilder()
        .setLog(logAt(chain, POOL, block))
        .setSource(EmergencyBurnSource.YIELD_POOL)
        .setUser(user)
        .setBurnedAmount(Long.toString(sats))
        .setReason("Oracle emergency burn")
        .build();
  }

  private static void sendMarker(long chain, BlockMarkerKind kind, long block) {
    send(
        Topics.CHAIN_BLOCKS.name(),
        Keys.chain(chain),
        BlockMarker.newBuilder()
            .setChainId(chain)
            .setKind(kind)
            .setBlockNumber(block)
            .setBlockHash(randomHash())
            .setParentHash(randomHash())
            .setBlockTimestamp(T0 + block)
            .build());
  }

  private static ChainLogRef log(String contract, long blockTimestamp) {
    return ChainLogRef.newBuilder()
        .setChainId(CHAIN_ID)
        .setContract(contract)
        .setBlockNumber(blockTimestamp - T0 + 1)
        .setBlockHash(randomHash())
        .setTxHash(randomHash())
        .setLogIndex(ThreadLocalRandom.current().nextInt(0, 10))
        .setBlockTimestamp(blockTimestamp)
        .setFinality(Finality.CONFIRMED)
        .setRetracted(false)
        .build();
  }

  private static TokenEvent token(String user, TokenEventKind kind, long sats, long at) {
    boolean mint = kind == TokenEventKind.MINT;
    String zero = "0x" + "00".repeat(20);
    return TokenEvent.newBuilder()
        .setLog(log(SYNTH, at))
        .setToken(Token.RBTC_SYNTH)
        .setKind(kind)
        .setUser(user)
        .setFrom(mint ? zero : user)
        .setTo(mint ? user : zero)
        .setAmount(Long.toString(sats))
        .build();
  }

  private static YieldPoolEvent poolEvent(long at, Object payload) {
    return YieldPoolEvent.newBuilder().setLog(log(POOL, at)).setPayload(payload).build();
  }

  private static TokenEvent retracted(TokenEvent event) {
    return TokenEvent.newBuilder(event).setLog(retractedLog(event.getLog())).build();
  }

  private static YieldPoolEvent retracted(YieldPoolEvent event) {
    return YieldPoolEvent.newBuilder(event).setLog(retractedLog(event.getLog())).build();
  }

  private static ChainLogRef retractedLog(ChainLogRef log) {
    return ChainLogRef.newBuilder(log).setRetracted(true).build();
  }

  private static String randomAddress() {
    byte[] bytes = new byte[20];
    ThreadLocalRandom.current().nextBytes(bytes);
    return "0x" + HexFormat.of().formatHex(bytes);
  }

  private static String randomHash() {
    byte[] bytes = new byte[32];
    ThreadLocalRandom.current().nextBytes(bytes);
    return "0x" + HexFormat.of().formatHex(bytes);
  }

  // --- broker --------------------------------------------------------------------------------

  private static void send(String topic, String key, SpecificRecord value) {
    try {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    } catch (Exception e) {
      throw new AssertionError("could not produce to " + topic, e);
    }
  }

  private static void rawSend(String topic, String key, byte[] value) {
    try {
      rawProducer.send(new ProducerRecord<>(topic, key, value)).get();
    } catch (Exception e) {
      throw new AssertionError("could not produce to " + topic, e);
    }
  }

  private static Map<String, Object> consumerConfig(String servers) {
    return Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
        servers,
        ConsumerConfig.GROUP_ID_CONFIG,
        "it-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
        "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
        "read_committed");
  }

  private static synchronized List<YieldParticipantState> statesOf(String user) {
    stateConsumer
        .poll(Duration.ofMillis(200))
        .forEach(r -> states.add((YieldParticipantState) r.value()));
    return states.stream().filter(s -> s.getUser().equals(user)).toList();
  }

  private static synchronized void drainDeadLetters() {
    deadLetterConsumer.poll(Duration.ofMillis(200)).forEach(r -> deadLetters.add(r.value()));
  }

  private static synchronized long deadLettersEqualTo(byte[] value) {
    drainDeadLetters();
    return deadLetters.stream().filter(d -> Arrays.equals(d, value)).count();
  }

  // --- database and HTTP ---------------------------------------------------------------------

  private Map<String, Object> participant(String user) {
    return jdbc.sql("select * from yield_scales_participants where user_address = ?")
        .param(user)
        .query()
        .singleRow();
  }

  /** The chain's rBTC-SYNTH supply and peak after its last mint or burn. */
  private List<Long> totals(long chain) {
    return jdbc.sql(
            """
            select supply_after, peak_after from yield_ledger
            where chain_id = ? and kind in ('MINT', 'BURN')
            order by block_number desc, log_index desc, event_id desc limit 1
            """)
        .param(chain)
        .query((rs, n) -> List.of(rs.getLong(1), rs.getLong(2)))
        .single();
  }

  /** The kinds of the user's ledger entries, in chain order. */
  private List<String> operations(String user) {
    return jdbc.sql(
            """
            select kind from yield_ledger where user_address = ?
            order by chain_id, block_number, log_index, event_id
            """)
        .param(user)
        .query(String.class)
        .list();
  }

  private String apiFinality(String user) throws Exception {
    return json(get("/api/yield/participants/" + user)).get("finality").asString();
  }

  private static final String FINALITY =
      """
      case when l.block_number <= h.finalized_block then 'FINALIZED'
           when l.block_number <= h.confirmed_block then 'CONFIRMED' else 'PENDING' end
      """;

  private long scaleRows(YieldPoolEvent event) {
    return jdbc.sql("select count(*) from yield_scales_state where event_id = ?")
        .param(EventIds.of(event.getLog()))
        .query(Long.class)
        .single();
  }

  /** The finality of each of the user's ledger entries, in chain order, as read now. */
  private List<String> ledgerFinalities(String user) {
    return jdbc.sql(
            "select "
                + FINALITY
                + """
                from yield_ledger l left join chain_heights h on h.chain_id = l.chain_id
                where l.user_address = ? order by l.block_number, l.log_index, l.event_id
                """)
        .param(user)
        .query(String.class)
        .list();
  }

  private String scaleFinality(YieldPoolEvent event) {
    return jdbc.sql(
            "select "
                + FINALITY
                + """
                from yield_scales_state l left join chain_heights h on h.chain_id = l.chain_id
                where l.event_id = ?
                """)
        .param(EventIds.of(event.getLog()))
        .query(String.class)
        .optional()
        .orElse(null);
  }

  /** Confirmed and finalized height of the chain (-1: none), empty if the chain is unknown. */
  private List<Long> heights(long chain) {
    return jdbc.sql(
            """
            select coalesce(confirmed_block, -1), coalesce(finalized_block, -1)
            from chain_heights where chain_id = ?
            """)
        .param(chain)
        .query((rs, n) -> List.of(rs.getLong(1), rs.getLong(2)))
        .optional()
        .orElse(List.of());
  }

  private long pendingOutboxRows() {
    return jdbc.sql("select count(*) from chain_outbox where published_at is null")
        .query(Long.class)
        .single();
  }

  private static JsonNode json(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JsonMapper.builder().build().readTree(response.body());
  }

  private HttpResponse<String> post(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
