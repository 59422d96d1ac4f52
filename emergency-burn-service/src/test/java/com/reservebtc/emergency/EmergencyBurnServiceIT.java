package com.reservebtc.emergency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.reservebtc.chainconsumer.testing.ChainInfrastructure;
import com.reservebtc.chainconsumer.testing.SchemaDump;
import com.reservebtc.schemas.EventIds;
import com.reservebtc.schemas.Keys;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.AlertKind;
import com.reservebtc.schemas.avro.BlockMarker;
import com.reservebtc.schemas.avro.BlockMarkerKind;
import com.reservebtc.schemas.avro.BtcBalanceObservation;
import com.reservebtc.schemas.avro.ChainLogRef;
import com.reservebtc.schemas.avro.EmergencyAlert;
import com.reservebtc.schemas.avro.EmergencyBurnEvent;
import com.reservebtc.schemas.avro.EmergencyBurnSource;
import com.reservebtc.schemas.avro.FeeVaultEvent;
import com.reservebtc.schemas.avro.FeeVaultEventKind;
import com.reservebtc.schemas.avro.Finality;
import com.reservebtc.schemas.avro.SyncedEvent;
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
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Drives the service through its real inputs (Avro records on a real broker) and checks its real
 * outputs (rows in a real PostgreSQL, alerts and dead letters on the broker, HTTP responses). The
 * redelivery test runs last so that it replays every record the other tests produced.
 */
@ExtendWith(ChainInfrastructure.class)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "rbtc.kafka.min-replication=1",
      "rbtc.kafka.min-insync-replicas=1",
      "rbtc.consumer.initial-backoff=50ms",
      "rbtc.consumer.max-backoff=500ms",
      "rbtc.outbox.poll-interval=500ms"
    })
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmergencyBurnServiceIT {

  private static final long CHAIN_ID = 31337;
  private static final String AGGREGATOR = "0x" + "a1".repeat(20);
  private static final String FEE_VAULT = "0x" + "f1".repeat(20);
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final java.util.concurrent.atomic.AtomicLong NEXT_BLOCK =
      new java.util.concurrent.atomic.AtomicLong(1_000);

  private static KafkaProducer<String, SpecificRecord> producer;
  private static KafkaProducer<String, byte[]> rawProducer;
  private static KafkaConsumer<String, SpecificRecord> alertConsumer;
  private static KafkaConsumer<String, byte[]> deadLetterConsumer;
  private static final List<EmergencyAlert> alerts = new ArrayList<>();
  private static final List<byte[]> deadLetters = new ArrayList<>();

  @Autowired JdbcClient jdbc;
  @Autowired ConcurrentMessageListenerContainer<String, byte[]> container;

  @Value("${spring.application.name}")
  String groupId;

  @Value("${local.server.port}")
  int port;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", ChainInfrastructure::bootstrapServers);
    registry.add("spring.datasource.url", () -> ChainInfrastructure.jdbcUrl("emergency"));
  }

  @BeforeAll
  static void clients() {
    String servers = ChainInfrastructure.bootstrapServers();
    producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                servers,
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new StringSerializer(),
            new AvroValueSerializer());
    rawProducer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers),
            new StringSerializer(),
            new ByteArraySerializer());
    alertConsumer =
        new KafkaConsumer<>(
            consumerConfig(servers), new StringDeserializer(), new AvroValueDeserializer());
    alertConsumer.subscribe(List.of(Topics.EMERGENCY_ALERTS.name()));
    deadLetterConsumer =
        new KafkaConsumer<>(
            consumerConfig(servers), new StringDeserializer(), new ByteArrayDeserializer());
    deadLetterConsumer.subscribe(List.of(Topics.CHAIN_EMERGENCY_BURNS.deadLetter()));
  }

  @AfterAll
  static void closeClients() {
    producer.close();
    rawProducer.close();
    alertConsumer.close();
    deadLetterConsumer.close();
  }

  @Test
  void recordsABurnOnceAlertsItAndUndoesItOnRetraction() throws Exception {
    String user = randomAddress();
    EmergencyBurnEvent burn = burn(user, "120000", log(AGGREGATOR, 0, false));
    String eventId = EventIds.of(burn.getLog());

    send(Topics.CHAIN_EMERGENCY_BURNS.name(), user, burn);
    await().atMost(WAIT).until(() -> burnRows(user) == 1);
    await().atMost(WAIT).until(() -> alertsOf(user).size() == 1);
    EmergencyAlert alert = alertsOf(user).get(0);
    assertThat(alert.getKind()).isEqualTo(AlertKind.BURNED);
    assertThat(alert.getEventId()).isEqualTo(eventId);
    assertThat(alert.getOccurredAtMillis()).isEqualTo(burn.getLog().getBlockTimestamp() * 1000);

    Map<String, Object> row =
        jdbc.sql("select * from emergency_burns where event_id = ?")
            .param(eventId)
            .query()
            .singleRow();
    assertThat(row)
        .containsEntry("user_address", user)
        .containsEntry("source", "ORACLE_AGGREGATOR")
        .containsEntry("burned_amount_sats", 120_000L)
        .containsEntry("reason", "Insufficient fees")
        .containsEntry("block_number", burn.getLog().getBlockNumber());
    Map<String, Object> summary =
        jdbc.sql("select * from emergency_burn_summary where user_address = ?")
            .param(user)
            .query()
            .singleRow();
    assertThat(summary)
        .containsEntry("burn_count", 1L)
        .containsEntry("total_burned_sats", new BigDecimal(120_000));

    // Redelivery of the same record, then a later record of another user on the same partition:
    // once the later one is applied, the duplicate has been seen and must have changed nothing.
    send(Topics.CHAIN_EMERGENCY_BURNS.name(), user, burn);
    String marker = randomAddress();
    send(Topics.CHAIN_EMERGENCY_BURNS.name(), marker, burn(marker, "1", log(AGGREGATOR, 0, false)));
    await().atMost(WAIT).until(() -> alertsOf(marker).size() == 1);
    assertThat(burnRows(user)).isEqualTo(1);
    assertThat(alertsOf(user)).hasSize(1);

    JsonNode listed =
        getJson("/api/emergency-burns?address=" + user.toUpperCase().replace("0X", "0x"));
    assertThat(listed.size()).isEqualTo(1);
    assertThat(listed.get(0).get("burnedAmountSats").asLong()).isEqualTo(120_000L);
    assertThat(listed.get(0).get("eventId").asString()).isEqualTo(eventId);
    // no marker of the chain yet: nothing is confirmed, whatever the record's own label said
    assertThat(listed.get(0).get("finality").asString()).isEqualTo("PENDING");
    assertThat(get("/api/emergency-burns?address=0x1234").statusCode()).isEqualTo(400);

    send(Topics.CHAIN_EMERGENCY_BURNS.name(), user, retracted(burn));
    await().atMost(WAIT).until(() -> burnRows(user) == 0);
    assertThat(getJson("/api/emergency-burns?address=" + user).size()).isZero();
  }

  /** Issue 10, defect 1: the tip flips to another fork and back to the same block. */
  @Test
  void aBurnWhoseBlockComesBackAfterItsRetractionIsRecordedAgain() {
    String user = randomAddress();
    EmergencyBurnEvent atA = burn(user, "3100", log(AGGREGATOR, 0, false));
    send(Topics.CHAIN_EMERGENCY_BURNS.name(), user, atA);
    await().atMost(WAIT).until(() -> burnRows(user) == 1);
    send(Topics.CHAIN_EMERGENCY_BURNS.name(), user, retracted(atA));
    await().atMost(WAIT).until(() -> burnRows(user) == 0);
    send(Topics.CHAIN_EMERGENCY_BURNS.name(), user, atA);
    await().atMost(WAIT).until(() -> burnRows(user) == 1);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(alertsOf(user))
                    .extracting(EmergencyAlert::getKind)
                    .containsExactly(AlertKind.BURNED, AlertKind.CLEARED, AlertKind.BURNED));
  }

  @Test
  void yieldPoolBurnIsRecordedButNotAlertedTwice() {
    String user = randomAddress();
    EmergencyBurnEvent poolBurn =
        EmergencyBurnEvent.newBuilder(burn(user, "5000", log("0x" + "b2".repeat(20), 3, false)))
            .setSource(EmergencyBurnSource.YIELD_POOL)
            .setReason("Oracle emergency burn")
            .build();
    send(Topics.CHAIN_EMERGENCY_BURNS.name(), user, poolBurn);
    send(Topics.CHAIN_EMERGENCY_BURNS.name(), user, burn(user, "5000", log(AGGREGATOR, 0, false)));
    await().atMost(WAIT).until(() -> alertsOf(user).size() == 1);
    assertThat(burnRows(user)).isEqualTo(2);
    Map<String, Object> summary =
        jdbc.sql("select * from emergency_burn_summary where user_address = ?")
            .param(user)
            .query()
            .singleRow();
    assertThat(summary)
        .containsEntry("burn_count", 1L)
        .containsEntry("pool_burn_count", 1L)
        .containsEntry("total_burned_sats", new BigDecimal(5000));
  }

  @Test
  void alertsOnlyWhenAUserEntersOrLeavesTheAtRiskState() {
    String user = randomAddress();
    FeeVaultEvent deposit = feeVault(user, FeeVaultEventKind.DEPOSITED, "2000000000000000");
    send(Topics.CHAIN_FEE_VAULT.name(), user, deposit);
    await().atMost(WAIT).until(() -> "2000000000000000".equals(vaultOf(user)));

    send(Topics.CHAIN_SYNCED.name(), user, synced(user, 50_000, 50_000, false));
    await().atMost(WAIT).until(() -> Long.valueOf(50_000).equals(rbtcOf(user)));

    FeeVaultEvent spent = feeVault(user, FeeVaultEventKind.SPENT, "1500000000000000");
    send(Topics.CHAIN_FEE_VAULT.name(), user, spent);
    await().atMost(WAIT).until(() -> alertsOf(user).size() == 1);
    EmergencyAlert atRisk = alertsOf(user).get(0);
    assertThat(atRisk.getKind()).isEqualTo(AlertKind.AT_RISK);
    assertThat(atRisk.getRbtcBalanceSats()).isEqualTo(50_000L);
    assertThat(atRisk.getFeeVaultBalanceWei()).isEqualTo("500000000000000");
    assertThat(atRisk.getRequiredFeeWei()).isEqualTo("1000000000000000");
    assertThat(atRisk.getEventId()).isEqualTo(EventIds.of(spent.getLog()));

    // Redelivery changes nothing; a deposit that still leaves the vault short is no transition.
    send(Topics.CHAIN_FEE_VAULT.name(), user, spent);
    send(
        Topics.CHAIN_FEE_VAULT.name(),
        user,
        feeVault(user, FeeVaultEventKind.DEPOSITED, "100000000000000"));
    await().atMost(WAIT).until(() -> "600000000000000".equals(vaultOf(user)));
    assertThat(atRiskOf(user)).isTrue();

    // The spend is orphaned by a reorg: the vault is back above the fee.
    send(Topics.CHAIN_FEE_VAULT.name(), user, retracted(spent));
    await().atMost(WAIT).until(() -> alertsOf(user).size() == 2);
    assertThat(alertsOf(user))
        .extracting(EmergencyAlert::getKind)
        .containsExactly(AlertKind.AT_RISK, AlertKind.CLEARED);
    assertThat(vaultOf(user)).isEqualTo("2100000000000000");
    assertThat(atRiskOf(user)).isFalse();
  }

  @Test
  void warnsOnceWhenBoundCoinsAreSpentUnconfirmedAndWhenThatIsOver() {
    String user = randomAddress();
    send(Topics.CHAIN_SYNCED.name(), user, synced(user, 50_000, 50_000, false));
    await().atMost(WAIT).until(() -> Long.valueOf(50_000).equals(rbtcOf(user)));

    long t = 1_764_000_000_000L;
    send(Topics.ORACLE_BTC_BALANCES.name(), user, observation(user, 0L, 0L, t));
    // The wallet spends 60,000 sats of which 10,000 come back as change: a net decrease that, with
    // an empty fee vault, would burn everything once confirmed.
    BtcBalanceObservation spending = observation(user, 60_000L, 10_000L, t + 1_000);
    send(Topics.ORACLE_BTC_BALANCES.name(), user, spending);
    await().atMost(WAIT).untilAsserted(() -> assertThat(outgoingAlertsOf(user)).hasSize(1));
    EmergencyAlert warning = outgoingAlertsOf(user).get(0);
    assertThat(warning.getKind()).isEqualTo(AlertKind.OUTGOING_UNCONFIRMED);
    assertThat(warning.getPendingSpentSats()).isEqualTo(60_000L);
    assertThat(warning.getMessage())
        .contains("60000 sats", "10000 sats of them come back", "synced down by 50000 sats")
        .contains("would be burned instead");

    // The same observation again, an older one, one with an unobserved address and one with the
    // same spend: no further alert.
    send(Topics.ORACLE_BTC_BALANCES.name(), user, spending);
    send(Topics.ORACLE_BTC_BALANCES.name(), user, observation(user, 0L, 0L, t + 500));
    send(Topics.ORACLE_BTC_BALANCES.name(), user, observation(user, null, null, t + 1_500));
    send(Topics.ORACLE_BTC_BALANCES.name(), user, observation(user, 60_000L, 10_000L, t + 2_000));
    // Confirmed deep enough and synced: nothing is pending any more.
    send(Topics.ORACLE_BTC_BALANCES.name(), user, observation(user, 0L, 0L, t + 3_000));
    await().atMost(WAIT).until(() -> outgoingAlertsOf(user).size() == 2);
    assertThat(outgoingAlertsOf(user))
        .extracting(EmergencyAlert::getKind)
        .containsExactly(AlertKind.OUTGOING_UNCONFIRMED, AlertKind.OUTGOING_CLEARED);
    // The user's emergency-burn risk (at risk: an empty fee vault) is not touched by them.
    assertThat(atRiskOf(user)).isTrue();
    assertThat(alertsOf(user))
        .extracting(EmergencyAlert::getKind)
        .containsOnlyOnce(AlertKind.AT_RISK);
  }

  @Test
  void syncRetractionRestoresThePreviousBalance() {
    String user = randomAddress();
    send(Topics.CHAIN_SYNCED.name(), user, synced(user, 10_000, 10_000, false));
    await().atMost(WAIT).until(() -> alertsOf(user).size() == 1);
    assertThat(alertsOf(user).get(0).getKind()).isEqualTo(AlertKind.AT_RISK);

    SyncedEvent burnToZero = synced(user, 0, -10_000, false);
    send(Topics.CHAIN_SYNCED.name(), user, burnToZero);
    await().atMost(WAIT).until(() -> alertsOf(user).size() == 2);
    assertThat(alertsOf(user).get(1).getKind()).isEqualTo(AlertKind.CLEARED);

    send(Topics.CHAIN_SYNCED.name(), user, retracted(burnToZero));
    await().atMost(WAIT).until(() -> alertsOf(user).size() == 3);
    assertThat(alertsOf(user).get(2).getKind()).isEqualTo(AlertKind.AT_RISK);
    assertThat(rbtcOf(user)).isEqualTo(10_000L);
  }

  @Test
  void poisonRecordsGoToTheDeadLetterTopicWithoutBlockingLaterRecords() {
    byte[] garbage = "definitely not avro".getBytes(StandardCharsets.UTF_8);
    String user = randomAddress();
    rawSend(Topics.CHAIN_EMERGENCY_BURNS.name(), user, garbage);
    EmergencyBurnEvent malformed = burn("not-an-address", "1", log(AGGREGATOR, 0, false));
    send(Topics.CHAIN_EMERGENCY_BURNS.name(), user, malformed);
    send(Topics.CHAIN_EMERGENCY_BURNS.name(), user, burn(user, "777", log(AGGREGATOR, 0, false)));

    await().atMost(WAIT).until(() -> burnRows(user) == 1);
    await()
        .atMost(WAIT)
        .until(
            () -> {
              drainDeadLetters();
              return deadLetters.stream().anyMatch(d -> java.util.Arrays.equals(d, garbage))
                  && deadLetters.stream()
                      .anyMatch(
                          d -> java.util.Arrays.equals(d, AvroValueSerializer.encode(malformed)));
            });
    assertThat(
            jdbc.sql("select count(*) from chain_publications where event_id = ?")
                .param(EventIds.of(malformed.getLog()))
                .query(Long.class)
                .single())
        .isZero();
  }

  /** Issue 10, defect 5: finality follows the latest markers, down too after a reorg. */
  @Test
  void labelsBurnsWithTheFinalityTheLatestMarkersGiveTheirBlocks() throws Exception {
    long chain = otherChainId();
    String user = randomAddress();
    EmergencyBurnEvent at100 = burn(user, "100", logAt(chain, 100, Finality.FINALIZED));
    EmergencyBurnEvent at150 = burn(user, "150", logAt(chain, 150, Finality.PENDING));
    send(Topics.CHAIN_EMERGENCY_BURNS.name(), user, at100);
    send(Topics.CHAIN_EMERGENCY_BURNS.name(), user, at150);
    await().atMost(WAIT).until(() -> burnRows(user) == 2);
    // No marker of the chain yet: the record's own label is not taken for the truth.
    assertThat(finalityOf(user, at100)).isEqualTo("PENDING");

    sendMarker(chain, BlockMarkerKind.CONFIRMED, 120);
    await().atMost(WAIT).until(() -> "CONFIRMED".equals(finalityOf(user, at100)));
    assertThat(finalityOf(user, at150)).isEqualTo("PENDING");
    sendMarker(chain, BlockMarkerKind.FINALIZED, 90);
    await().atMost(WAIT).until(() -> heights(chain).equals(List.of(120L, 90L)));
    assertThat(finalityOf(user, at100)).isEqualTo("CONFIRMED");

    // Logs of blocks the markers already settled are read settled.
    EmergencyBurnEvent lateFinal = burn(user, "80", logAt(chain, 80, Finality.PENDING));
    EmergencyBurnEvent lateConfirmed = burn(user, "110", logAt(chain, 110, Finality.PENDING));
    send(Topics.CHAIN_EMERGENCY_BURNS.name(), user, lateFinal);
    send(Topics.CHAIN_EMERGENCY_BURNS.name(), user, lateConfirmed);
    await().atMost(WAIT).until(() -> burnRows(user) == 4);
    assertThat(finalityOf(user, lateFinal)).isEqualTo("FINALIZED");
    assertThat(finalityOf(user, lateConfirmed)).isEqualTo("CONFIRMED");

    // A reorg below CONFIRMED: the indexer retracts and lowers the height; the labels follow.
    sendMarker(chain, BlockMarkerKind.RETRACTED, 105);
    sendMarker(chain, BlockMarkerKind.CONFIRMED, 104);
    await().atMost(WAIT).until(() -> heights(chain).equals(List.of(104L, 90L)));
    assertThat(finalityOf(user, at100)).isEqualTo("CONFIRMED");
    assertThat(finalityOf(user, lateConfirmed)).isEqualTo("PENDING");

    sendMarker(chain, BlockMarkerKind.FINALIZED, 200);
    await().atMost(WAIT).until(() -> "FINALIZED".equals(finalityOf(user, at150)));
    JsonNode listed = getJson("/api/emergency-burns?address=" + user);
    assertThat(listed.size()).isEqualTo(4);
    listed.forEach(b -> assertThat(b.get("finality").asString()).isEqualTo("FINALIZED"));
  }

  @Test
  void aRetractedBurnNoticeIsWithdrawnAndTheRiskRestated() {
    // At risk: rBTC but an empty fee vault.
    String atRisk = randomAddress();
    send(Topics.CHAIN_SYNCED.name(), atRisk, synced(atRisk, 10_000, 10_000, false));
    await().atMost(WAIT).until(() -> alertsOf(atRisk).size() == 1);
    EmergencyBurnEvent burn = burn(atRisk, "10000", log(AGGREGATOR, 0, false));
    String burnId = EventIds.of(burn.getLog());
    send(Topics.CHAIN_EMERGENCY_BURNS.name(), atRisk, burn);
    await().atMost(WAIT).until(() -> alertsOf(atRisk).size() == 2);
    send(Topics.CHAIN_EMERGENCY_BURNS.name(), atRisk, retracted(burn));
    await().atMost(WAIT).until(() -> alertsOf(atRisk).size() == 4);
    List<EmergencyAlert> alerts = alertsOf(atRisk);
    assertThat(alerts)
        .extracting(EmergencyAlert::getKind)
        .containsExactly(AlertKind.AT_RISK, AlertKind.BURNED, AlertKind.CLEARED, AlertKind.AT_RISK);
    EmergencyAlert withdrawn = alerts.get(2);
    assertThat(withdrawn.getEventId()).isEqualTo(burnId);
    assertThat(withdrawn.getMessage())
        .contains("10000 sats", "retracted by a chain reorg", burn.getLog().getTxHash());
    assertThat(withdrawn.getRbtcBalanceSats()).isEqualTo(10_000L);
    assertThat(alerts.get(3).getEventId()).isEqualTo(burnId);
    assertThat(atRiskOf(atRisk)).isTrue();

    // Not at risk (unknown to the risk tracker): only the withdrawal, without balances.
    String safe = randomAddress();
    EmergencyBurnEvent safeBurn = burn(safe, "300", log(AGGREGATOR, 0, false));
    send(Topics.CHAIN_EMERGENCY_BURNS.name(), safe, safeBurn);
    send(Topics.CHAIN_EMERGENCY_BURNS.name(), safe, retracted(safeBurn));
    send(Topics.CHAIN_EMERGENCY_BURNS.name(), safe, retracted(safeBurn));
    // A retracted pool burn was never announced, so nothing is withdrawn.
    String poolUser = randomAddress();
    EmergencyBurnEvent poolBurn =
        EmergencyBurnEvent.newBuilder(burn(poolUser, "5", log("0x" + "b2".repeat(20), 3, false)))
            .setSource(EmergencyBurnSource.YIELD_POOL)
            .build();
    send(Topics.CHAIN_EMERGENCY_BURNS.name(), poolUser, poolBurn);
    send(Topics.CHAIN_EMERGENCY_BURNS.name(), poolUser, retracted(poolBurn));
    send(
        Topics.CHAIN_EMERGENCY_BURNS.name(),
        poolUser,
        burn(poolUser, "6", log(AGGREGATOR, 0, false)));
    await().atMost(WAIT).until(() -> alertsOf(poolUser).size() == 1);
    assertThat(alertsOf(poolUser).get(0).getKind()).isEqualTo(AlertKind.BURNED);
    assertThat(alertsOf(safe))
        .extracting(EmergencyAlert::getKind)
        .containsExactly(AlertKind.BURNED, AlertKind.CLEARED);
    assertThat(alertsOf(safe).get(1).getRbtcBalanceSats()).isNull();
    assertThat(burnRows(safe)).isZero();
    assertThat(
            jdbc.sql("select count(*) from user_risk where user_address = ?")
                .param(safe)
                .query(Long.class)
                .single())
        .isZero();
  }

  @Test
  void servesSystemTotalsToOperators() throws Exception {
    JsonNode before = getJson("/api/emergency-burns/summary");
    String first = randomAddress();
    String second = randomAddress();
    EmergencyBurnEvent large = burn(first, "2000", log(AGGREGATOR, 0, false));
    send(
        Topics.CHAIN_EMERGENCY_BURNS.name(), first, burn(first, "1000", log(AGGREGATOR, 0, false)));
    send(Topics.CHAIN_EMERGENCY_BURNS.name(), first, large);
    send(
        Topics.CHAIN_EMERGENCY_BURNS.name(),
        second,
        burn(second, "500", log(AGGREGATOR, 0, false)));
    send(
        Topics.CHAIN_EMERGENCY_BURNS.name(),
        second,
        EmergencyBurnEvent.newBuilder(burn(second, "500", log("0x" + "b2".repeat(20), 3, false)))
            .setSource(EmergencyBurnSource.YIELD_POOL)
            .build());
    await().atMost(WAIT).until(() -> burnRows(first) == 2 && burnRows(second) == 2);

    JsonNode after = getJson("/api/emergency-burns/summary");
    assertThat(delta(before, after, "totalBurns")).isEqualTo(3);
    assertThat(delta(before, after, "totalBurnedSats")).isEqualTo(3_500);
    assertThat(delta(before, after, "usersAffected")).isEqualTo(2);
    assertThat(delta(before, after, "poolBurns")).isEqualTo(1);
    assertThat(after.get("lastBurnAt").asString()).isNotBlank();

    send(Topics.CHAIN_EMERGENCY_BURNS.name(), first, retracted(large));
    await().atMost(WAIT).until(() -> burnRows(first) == 1);
    JsonNode retracted = getJson("/api/emergency-burns/summary");
    assertThat(delta(before, retracted, "totalBurns")).isEqualTo(2);
    assertThat(delta(before, retracted, "totalBurnedSats")).isEqualTo(1_500);
    assertThat(delta(before, retracted, "usersAffected")).isEqualTo(2);
  }

  /**
   * Feeds a mix of burns, re-mined burns, retractions, duplicates, syncs, fee-vault events, block
   * markers and poison records, then (1) rewinds the consumer group's offsets to 0: the stored
   * positions decide and no table changes; (2) empties every table built from the topics and the
   * consumer's own state: the rebuild from offset 0 gives the same tables, row for row (except the
   * time each row was written).
   */
  @Test
  @Order(Integer.MAX_VALUE)
  void aRedeliveryChangesNoTableAndARebuildFromOffsetZeroGivesTheSameTables() throws Exception {
    long chain = otherChainId();
    String user = randomAddress();
    EmergencyBurnEvent orphaned = burn(user, "4000", logAt(chain, 40, Finality.PENDING));
    EmergencyBurnEvent remined =
        EmergencyBurnEvent.newBuilder(orphaned)
            .setLog(
                ChainLogRef.newBuilder(orphaned.getLog())
                    .setBlockNumber(41)
                    .setBlockHash(randomHash())
                    .build())
            .build();
    send(Topics.CHAIN_FEE_VAULT.name(), user, feeVault(user, FeeVaultEventKind.DEPOSITED, "5"));
    send(Topics.CHAIN_SYNCED.name(), user, synced(user, 4_000, 4_000, false));
    send(Topics.CHAIN_EMERGENCY_BURNS.name(), user, orphaned);
    send(Topics.CHAIN_EMERGENCY_BURNS.name(), user, retracted(orphaned));
    send(Topics.CHAIN_EMERGENCY_BURNS.name(), user, remined);
    send(Topics.CHAIN_EMERGENCY_BURNS.name(), user, remined);
    send(Topics.CHAIN_SYNCED.name(), user, synced(user, 0, -4_000, false));
    sendMarker(chain, BlockMarkerKind.CONFIRMED, 41);
    byte[] poison = ("poison " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    rawSend(Topics.CHAIN_EMERGENCY_BURNS.name(), user, poison);
    send(
        Topics.CHAIN_EMERGENCY_BURNS.name(),
        user,
        burn(user, "1", logAt(chain, 42, Finality.PENDING)));
    sendMarker(chain, BlockMarkerKind.FINALIZED, 41);
    await().atMost(WAIT).until(() -> heights(chain).equals(List.of(41L, 41L)));
    await().atMost(WAIT).until(() -> "FINALIZED".equals(finalityOf(user, remined)));
    await().atMost(WAIT).until(() -> deadLettersEqualTo(poison) == 1);

    try (ConsumerGroupReplay replay =
        new ConsumerGroupReplay(ChainInfrastructure.bootstrapServers(), groupId, container)) {
      replay.awaitCaughtUp(WAIT);
      await().atMost(WAIT).until(() -> pendingOutboxRows() == 0);
      Map<String, List<String>> before = SchemaDump.of(jdbc);
      assertThat(before.get("emergency_burns")).hasSizeGreaterThan(10);
      assertThat(before.get("chain_publications")).hasSizeGreaterThan(30);
      assertThat(before.get("chain_outbox")).hasSizeGreaterThan(10);
      assertThat(before.get("chain_heights")).hasSizeGreaterThan(2);
      assertThat(replay.partitions().stream().map(p -> p.topic()).distinct().toList())
          .contains(
              Topics.CHAIN_EMERGENCY_BURNS.name(),
              Topics.CHAIN_SYNCED.name(),
              Topics.CHAIN_FEE_VAULT.name(),
              Topics.CHAIN_BLOCKS.name());

      replay.rewindToEarliest(WAIT);
      replay.awaitCaughtUp(WAIT);
      await().atMost(WAIT).until(() -> pendingOutboxRows() == 0);
      assertThat(SchemaDump.of(jdbc)).isEqualTo(before);
      assertThat(deadLettersEqualTo(poison)).isEqualTo(1);

      Map<String, List<String>> built = SchemaDump.derived(jdbc, Set.of());
      replay.rebuild(
          WAIT,
          jdbc,
          "emergency_burns",
          "synced_events",
          "fee_vault_events",
          "user_risk",
          "consumer_positions",
          "chain_publications",
          "chain_heights");
      replay.awaitApplied(WAIT, jdbc);
      assertThat(SchemaDump.derived(jdbc, Set.of())).isEqualTo(built);
      assertThat(deadLettersEqualTo(poison)).isEqualTo(2);
    }
  }

  @Test
  void exposesProbesAndMetrics() throws Exception {
    assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
    assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
    HttpResponse<String> metrics = get("/actuator/prometheus");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .contains("rbtc_emergency_users_at_risk", "rbtc_consumer_blocked", "rbtc_consumer_records");
  }

  // --- records -------------------------------------------------------------------------------

  /** A log of a new block: blocks grow in the order the test produces logs, as on a chain. */
  private static ChainLogRef log(String contract, int logIndex, boolean retracted) {
    long block = NEXT_BLOCK.incrementAndGet();
    return ChainLogRef.newBuilder()
        .setChainId(CHAIN_ID)
        .setContract(contract)
        .setBlockNumber(block)
        .setBlockHash(randomHash())
        .setTxHash(randomHash())
        .setLogIndex(logIndex)
        .setBlockTimestamp(1_758_600_000L + block)
        .setFinality(Finality.CONFIRMED)
        .setRetracted(retracted)
        .build();
  }

  /** A log of {@code chain} in block {@code block}. */
  private static ChainLogRef logAt(long chain, long block, Finality finality) {
    return ChainLogRef.newBuilder(log(AGGREGATOR, 0, false))
        .setChainId(chain)
        .setBlockNumber(block)
        .setBlockTimestamp(1_758_600_000L + block)
        .setFinality(finality)
        .build();
  }

  /** A chain id of its own, so that its markers touch no other test's rows. */
  private static long otherChainId() {
    return ThreadLocalRandom.current().nextLong(1_000_000, 2_000_000_000);
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
            .setBlockTimestamp(1_758_600_000L + block)
            .build());
  }

  private static EmergencyBurnEvent burn(String user, String sats, ChainLogRef log) {
    return EmergencyBurnEvent.newBuilder()
        .setLog(log)
        .setSource(EmergencyBurnSource.ORACLE_AGGREGATOR)
        .setUser(user)
        .setBurnedAmount(sats)
        .setReason("Insufficient fees")
        .build();
  }

  private static SyncedEvent synced(String user, long newBalance, long delta, boolean retracted) {
    return SyncedEvent.newBuilder()
        .setLog(log(AGGREGATOR, 1, retracted))
        .setUser(user)
        .setNewBalanceSats(newBalance)
        .setDeltaSats(delta)
        .setFeeWei("1000000000000000")
        .setHeight(0)
        .setTimestamp(1_758_600_000L)
        .build();
  }

  private static BtcBalanceObservation observation(
      String user, Long pendingSpent, Long pendingReceived, long observedAtMillis) {
    return BtcBalanceObservation.newBuilder()
        .setEthAddress(user)
        .setBtcAddress("bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080")
        .setConfirmedSats(pendingSpent == null ? null : 60_000L)
        .setMinConfirmations(6)
        .setTipHeight(100)
        .setTipHash("ab".repeat(32))
        .setSources(List.of("a", "b"))
        .setAgreed(pendingSpent != null)
        .setObservedAtMillis(observedAtMillis)
        .setPendingSpentSats(pendingSpent)
        .setPendingReceivedSats(pendingReceived)
        .setUserPendingSpentSats(pendingSpent)
        .setUserPendingReceivedSats(pendingReceived)
        .build();
  }

  private static FeeVaultEvent feeVault(String user, FeeVaultEventKind kind, String wei) {
    return FeeVaultEvent.newBuilder()
        .setLog(log(FEE_VAULT, 2, false))
        .setKind(kind)
        .setUser(user)
        .setAmountWei(wei)
        .setSpentBy(kind == FeeVaultEventKind.SPENT ? AGGREGATOR : null)
        .build();
  }

  private static EmergencyBurnEvent retracted(EmergencyBurnEvent event) {
    return EmergencyBurnEvent.newBuilder(event).setLog(retractedLog(event.getLog())).build();
  }

  private static SyncedEvent retracted(SyncedEvent event) {
    return SyncedEvent.newBuilder(event).setLog(retractedLog(event.getLog())).build();
  }

  private static FeeVaultEvent retracted(FeeVaultEvent event) {
    return FeeVaultEvent.newBuilder(event).setLog(retractedLog(event.getLog())).build();
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
        "it-" + java.util.UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
        "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
        "read_committed");
  }

  private static synchronized List<EmergencyAlert> alertsOf(String user) {
    alertConsumer.poll(Duration.ofMillis(200)).forEach(r -> alerts.add((EmergencyAlert) r.value()));
    return alerts.stream().filter(a -> a.getUser().equals(user)).toList();
  }

  private static List<EmergencyAlert> outgoingAlertsOf(String user) {
    return alertsOf(user).stream()
        .filter(
            a ->
                a.getKind() == AlertKind.OUTGOING_UNCONFIRMED
                    || a.getKind() == AlertKind.OUTGOING_CLEARED)
        .toList();
  }

  private static synchronized void drainDeadLetters() {
    deadLetterConsumer.poll(Duration.ofMillis(200)).forEach(r -> deadLetters.add(r.value()));
  }

  private static synchronized long deadLettersEqualTo(byte[] value) {
    drainDeadLetters();
    return deadLetters.stream().filter(d -> java.util.Arrays.equals(d, value)).count();
  }

  // --- database and HTTP ---------------------------------------------------------------------

  private long burnRows(String user) {
    return jdbc.sql("select count(*) from emergency_burns where user_address = ?")
        .param(user)
        .query(Long.class)
        .single();
  }

  /** The burn's finality as the operator API serves it (null: not recorded). */
  private String finalityOf(String user, EmergencyBurnEvent burn) throws Exception {
    String eventId = EventIds.of(burn.getLog());
    for (JsonNode listed : getJson("/api/emergency-burns?address=" + user)) {
      if (listed.get("eventId").asString().equals(eventId)) {
        return listed.get("finality").asString();
      }
    }
    return null;
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

  private static long delta(JsonNode before, JsonNode after, String field) {
    return after.get(field).asLong() - before.get(field).asLong();
  }

  private String vaultOf(String user) {
    return jdbc.sql("select fee_vault_balance_wei::text from user_risk where user_address = ?")
        .param(user)
        .query(String.class)
        .optional()
        .orElse(null);
  }

  private Long rbtcOf(String user) {
    return jdbc.sql("select rbtc_balance_sats from user_risk where user_address = ?")
        .param(user)
        .query(Long.class)
        .optional()
        .orElse(null);
  }

  private boolean atRiskOf(String user) {
    return jdbc.sql("select at_risk from user_risk where user_address = ?")
        .param(user)
        .query(Boolean.class)
        .single();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode getJson(String path) throws Exception {
    HttpResponse<String> response = get(path);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JsonMapper.builder().build().readTree(response.body());
  }
}
