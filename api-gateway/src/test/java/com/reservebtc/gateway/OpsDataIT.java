package com.reservebtc.gateway;

import static com.reservebtc.gateway.ContractShapes.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.reservebtc.gateway.profiles.ProfileCipher;
import com.reservebtc.gateway.profiles.ProfileKeyException;
import com.reservebtc.gateway.profiles.ProfileKeys;
import com.reservebtc.gateway.profiles.ProfileProperties;
import com.reservebtc.gateway.profiles.ProfileService;
import com.reservebtc.schemas.Topic;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.AlertKind;
import com.reservebtc.schemas.avro.ChainLogRef;
import com.reservebtc.schemas.avro.EmergencyAlert;
import com.reservebtc.schemas.avro.Token;
import com.reservebtc.schemas.avro.TokenEvent;
import com.reservebtc.schemas.avro.TokenEventKind;
import com.reservebtc.schemas.serde.AvroValueSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The data the product keeps about users and deployments, and the operators' health figures,
 * against a real broker and a real Postgres: {@code users} and its audit trail follow applied and
 * retracted logs, bindings and risk alerts; private profiles are stored encrypted, survive a key
 * rotation and fail clearly without their key; the registry of deployments is served; the health
 * report measures consumer lag and dead letters on the broker.
 *
 * <p>Every operator request is built by {@link #ops}, the one place that will carry the operator's
 * session once {@code /api/ops/**} requires one.
 */
@ExtendWith(EmbeddedInfrastructure.class)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "rbtc.kafka.min-replication=1",
      "rbtc.kafka.min-insync-replicas=1",
      "rbtc.consumer.initial-backoff=50ms",
      "rbtc.consumer.max-backoff=500ms",
      "rbtc.chain.id=31337",
      "rbtc.contracts.oracle-aggregator=0xA1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1",
      "rbtc.contracts.synth=0xb2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2",
      "rbtc.contracts.start-block=7",
      "rbtc.contracts.version=2026.12",
      // nothing listens there: the node check must say so
      "rbtc.gateway.health.chain-rpc-url=http://127.0.0.1:9/",
      "rbtc.gateway.health.timeout=2s",
      "rbtc.gateway.profiles.current-id=k1",
      "rbtc.gateway.profiles.keys.k1=" + OpsDataIT.KEY_1
    })
@DirtiesContext
class OpsDataIT {

  static final String KEY_1 = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";
  static final String KEY_2 = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";
  private static final long CHAIN = 31337;

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
  @Autowired JdbcClient jdbc;
  @Autowired TransactionTemplate transactions;
  @Autowired JsonMapper json;

  private WebTestClient http;
  private JdbcTemplate db;

  @BeforeEach
  void clients() {
    http = TestClients.gateway(port);
    db = new JdbcTemplate(EmbeddedInfrastructure.postgres().getPostgresDatabase());
  }

  @Test
  void usersRowFollowsLogsBindingsRiskAndRetractionsWithAnAuditEntryPerChange() {
    String user = address(0xD001);
    String tx1 = TestRecords.txHash(0xD00101);
    String tx2 = TestRecords.txHash(0xD00102);
    ChainLogRef first = TestRecords.log(CHAIN, TestRecords.AGGREGATOR, 300, 0, tx1, 0, false);
    ChainLogRef later = TestRecords.log(CHAIN, TestRecords.AGGREGATOR, 340, 0, tx2, 0, false);
    send(
        record(
            Topics.CHAIN_SYNCED,
            user,
            TestRecords.synced(first, user, 50_000, 50_000, "1500000000000000")));
    await().until(() -> usersRow(user) != null);
    Map<String, Object> seen = usersRow(user);
    assertThat(seen.get("state")).isEqualTo("SEEN");
    assertThat(seen.get("last_seen_block")).isEqualTo(300L);
    assertThat(epochSeconds(seen.get("first_seen_at")))
        .isEqualTo(TestRecords.GENESIS_SECONDS + 300);

    send(
        record(
            Topics.CHAIN_SYNCED,
            user,
            TestRecords.synced(later, user, 80_000, 30_000, "1300000000000000")));
    await().until(() -> Long.valueOf(340).equals(usersRow(user).get("last_seen_block")));
    assertThat(epochSeconds(usersRow(user).get("last_seen_at")))
        .isEqualTo(TestRecords.GENESIS_SECONDS + 340);

    // a reorg retracts the later log: last seen goes back to the first one
    ChainLogRef retracted = TestRecords.log(CHAIN, TestRecords.AGGREGATOR, 340, 0, tx2, 0, true);
    send(
        record(
            Topics.CHAIN_SYNCED,
            user,
            TestRecords.synced(retracted, user, 80_000, 30_000, "1300000000000000")));
    await().until(() -> Long.valueOf(300).equals(usersRow(user).get("last_seen_block")));
    assertThat(epochSeconds(usersRow(user).get("last_seen_at")))
        .isEqualTo(TestRecords.GENESIS_SECONDS + 300);

    // a binding makes the user BOUND, a risk alert AT_RISK, and clearing it BOUND again
    String btc = "tb1qopsdatad001xxxxxxxxxxxxxxxxxxxxxxxxxx";
    long boundAt = (TestRecords.GENESIS_SECONDS + 400) * 1000;
    send(record(Topics.ORACLE_BINDINGS, user, TestRecords.bound(user, btc, boundAt)));
    await().until(() -> "BOUND".equals(usersRow(user).get("state")));
    send(record(Topics.EMERGENCY_ALERTS, user, alert(user, AlertKind.AT_RISK, boundAt + 1000)));
    await().until(() -> "AT_RISK".equals(usersRow(user).get("state")));

    JsonNode state = ops(HttpMethod.GET, "/api/ops/users/" + user, null, 200);
    assertThat(state.get("state").asString()).isEqualTo("AT_RISK");
    assertThat(state.get("boundAddresses").get(0).asString()).isEqualTo(btc);
    assertThat(state.get("rbtcSats").asLong()).isEqualTo(50_000);
    assertThat(state.get("atRisk").asBoolean()).isTrue();
    assertThat(state.get("lastSeenBlock").asLong()).isEqualTo(300);

    send(record(Topics.EMERGENCY_ALERTS, user, alert(user, AlertKind.CLEARED, boundAt + 2000)));
    await().until(() -> "BOUND".equals(usersRow(user).get("state")));

    JsonNode audit = ops(HttpMethod.GET, "/api/ops/users/" + user + "/audit?limit=100", null, 200);
    List<String> causes = new ArrayList<>();
    audit.forEach(entry -> causes.add(entry.get("cause").asString()));
    // created, moved forward, moved back (retraction), bound, at risk, cleared: newest first
    assertThat(audit).hasSize(6);
    assertThat(audit.get(5).get("before").isNull()).isTrue();
    assertThat(causes.get(3)).contains("RETRACT").contains("31337:" + tx2 + ":0");
    assertThat(parse(audit.get(3).get("before").asString()).get("last_seen_block").asLong())
        .isEqualTo(340);
    assertThat(parse(audit.get(3).get("after").asString()).get("last_seen_block").asLong())
        .isEqualTo(300);
    assertThat(audit.get(0).get("actor").asString()).isEqualTo("projection");
    assertThat(causes.get(0)).startsWith(Topics.EMERGENCY_ALERTS.name());

    // the same alert again (an outbox publishing twice) changes nothing and audits nothing; an
    // alert that does not change the risk, behind it on the same partition, shows it was applied
    send(record(Topics.EMERGENCY_ALERTS, user, alert(user, AlertKind.CLEARED, boundAt + 2000)));
    send(
        record(
            Topics.EMERGENCY_ALERTS,
            user,
            alert(user, AlertKind.OUTGOING_CLEARED, boundAt + 3000)));
    await()
        .until(
            () ->
                db.queryForObject(
                        "SELECT count(*) FROM gateway.emergency_alerts WHERE user_address = ?",
                        Long.class,
                        user)
                    == 3);
    assertThat(auditCount(user)).isEqualTo(6);
  }

  @Test
  void aUserWhoseOnlyLogIsRetractedHasNoRowAndTheRemovalIsAudited() {
    String sender = address(0xD002);
    String recipient = address(0xD003);
    String tx = TestRecords.txHash(0xD00201);
    ChainLogRef at = TestRecords.log(CHAIN, TestRecords.SYNTH, 310, 0, tx, 2, false);
    send(record(Topics.CHAIN_TOKEN_TRANSFERS, sender, transfer(at, sender, recipient)));
    // the recipient of a wrBTC transfer is seen too
    await().until(() -> usersRow(recipient) != null && usersRow(sender) != null);
    assertThat(usersRow(recipient).get("last_seen_block")).isEqualTo(310L);

    ChainLogRef gone = TestRecords.log(CHAIN, TestRecords.SYNTH, 310, 0, tx, 2, true);
    send(record(Topics.CHAIN_TOKEN_TRANSFERS, sender, transfer(gone, sender, recipient)));
    await().until(() -> usersRow(recipient) == null && usersRow(sender) == null);
    JsonNode audit = ops(HttpMethod.GET, "/api/ops/users/" + recipient + "/audit", null, 200);
    assertThat(audit).hasSize(2);
    assertThat(audit.get(0).get("after").isNull()).isTrue();
    assertThat(audit.get(0).get("cause").asString()).contains("RETRACT");
    ops(HttpMethod.GET, "/api/ops/users/" + recipient, null, 404);
  }

  @Test
  void listsUsersByStateAndRefusesUnknownStates() {
    String user = address(0xD004);
    send(
        record(
            Topics.ORACLE_BINDINGS,
            user,
            TestRecords.bound(
                user, "tb1qopsdatad004xxxxxxxxxxxxxxxxxxxxxxxxxx", 1_758_600_500_000L)));
    await().until(() -> usersRow(user) != null);
    JsonNode bound = ops(HttpMethod.GET, "/api/ops/users?state=bound&limit=500", null, 200);
    List<String> addresses = new ArrayList<>();
    bound.forEach(u -> addresses.add(u.get("address").asString()));
    assertThat(addresses).contains(user);
    bound.forEach(u -> assertThat(u.get("state").asString()).isEqualTo("BOUND"));
    assertThat(
            ops(HttpMethod.GET, "/api/ops/users?state=sleeping", null, 400).get("error").asString())
        .isEqualTo("invalid_state");
    assertThat(ops(HttpMethod.GET, "/api/ops/users/0x12/audit", null, 400).get("error").asString())
        .isEqualTo("invalid_address");
  }

  @Test
  void profilesAreStoredEncryptedAndTheirAuditNamesFieldsNotValues() {
    String user = address(0xD005);
    ops(HttpMethod.GET, "/api/ops/users/" + user + "/profile", null, 404);
    JsonNode written =
        ops(
            HttpMethod.PUT,
            "/api/ops/users/" + user + "/profile",
            "{\"contact\":\"alice@example.org\",\"notes\":\"called about the fee vault\"}",
            200);
    assertThat(written.get("keyId").asString()).isEqualTo("k1");
    JsonNode read = ops(HttpMethod.GET, "/api/ops/users/" + user + "/profile", null, 200);
    assertThat(read.get("profile").get("contact").asString()).isEqualTo("alice@example.org");
    assertThat(read.get("profile").get("notes").asString()).isEqualTo("called about the fee vault");

    byte[] stored =
        db.queryForObject(
            "SELECT ciphertext FROM gateway.user_profiles WHERE user_address = ?",
            byte[].class,
            user);
    assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("alice");
    ops(
        HttpMethod.PUT,
        "/api/ops/users/" + user + "/profile",
        "{\"contact\":\"alice@example.org\",\"notes\":\"prefers e-mail\"}",
        200);
    JsonNode audit = ops(HttpMethod.GET, "/api/ops/users/" + user + "/audit", null, 200);
    assertThat(audit).hasSize(2);
    assertThat(audit.get(0).get("record").asString()).isEqualTo("profile");
    assertThat(audit.get(0).get("cause").asString()).isEqualTo("profile updated (notes)");
    assertThat(audit.get(0).get("actor").asString()).isNotBlank();
    assertThat(audit.toString()).doesNotContain("alice").doesNotContain("e-mail");
    assertThat(
            ops(
                    HttpMethod.PUT,
                    "/api/ops/users/" + user + "/profile",
                    "{\"notes\":\"" + "x".repeat(20_001) + "\"}",
                    400)
                .get("error")
                .asString())
        .isEqualTo("invalid_profile");
  }

  @Test
  void aRotatedKeyKeepsOldProfilesReadableUntilReencryptionMovesThem() {
    String user = address(0xD006);
    ProfileService onlyK1 = profiles(Map.of("k1", KEY_1), "k1");
    onlyK1.put(user, new ProfileService.Profile("+41 44 000 00 00", "rotation"), "test");

    // rotation: k2 becomes current, k1 stays configured for reading
    ProfileService rotated = profiles(Map.of("k1", KEY_1, "k2", KEY_2), "k2");
    assertThat(rotated.get(user).orElseThrow().keyId()).isEqualTo("k1");
    assertThat(rotated.get(user).orElseThrow().profile().contact()).isEqualTo("+41 44 000 00 00");

    // k1 removed too early: a clear failure, not an empty profile
    ProfileService onlyK2 = profiles(Map.of("k2", KEY_2), "k2");
    assertThatThrownBy(() -> onlyK2.get(user))
        .isInstanceOfSatisfying(
            ProfileKeyException.class,
            e -> assertThat(e.reason()).isEqualTo(ProfileKeyException.Reason.KEY_NOT_CONFIGURED))
        .hasMessageContaining("'k1'");

    assertThat(rotated.reencrypt("test", 1)).isGreaterThanOrEqualTo(1);
    assertThat(rotated.countByKey()).doesNotContainKey("k1");
    assertThat(onlyK2.get(user).orElseThrow().keyId()).isEqualTo("k2");
    assertThat(onlyK2.get(user).orElseThrow().profile().notes()).isEqualTo("rotation");
    assertThat(auditCauses(user)).contains("profile re-encrypted from key 'k1' to 'k2'");

    // a key of the right id but the wrong bytes, and no key at all
    ProfileService wrongK2 = profiles(Map.of("k2", KEY_1), "k2");
    assertThatThrownBy(() -> wrongK2.get(user))
        .isInstanceOfSatisfying(
            ProfileKeyException.class,
            e -> assertThat(e.reason()).isEqualTo(ProfileKeyException.Reason.KEY_MISMATCH));
    ProfileService none = profiles(Map.of(), "");
    assertThatThrownBy(() -> none.put(user, new ProfileService.Profile("x", null), "test"))
        .isInstanceOfSatisfying(
            ProfileKeyException.class,
            e -> assertThat(e.reason()).isEqualTo(ProfileKeyException.Reason.NO_KEY_CONFIGURED));
    // the HTTP answer of a profile the running gateway cannot open (its only key is k1)
    assertThat(
            ops(HttpMethod.GET, "/api/ops/users/" + user + "/profile", null, 503)
                .get("error")
                .asString())
        .isEqualTo("profile_key_unavailable");
  }

  @Test
  void servesTheRegistryOfConfiguredDeployments() {
    JsonNode contracts = get("/api/realtime/system-contracts");
    Map<String, JsonNode> byName = new java.util.HashMap<>();
    contracts.forEach(c -> byName.put(c.get("name").asString(), c));
    assertThat(byName.get("OracleAggregator").get("address").asString())
        .isEqualTo("0xa1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1");
    assertThat(byName.get("OracleAggregator").get("startBlock").asLong()).isEqualTo(7);
    assertThat(byName.get("OracleAggregator").get("version").asString()).isEqualTo("2026.12");
    assertThat(byName.get("OracleAggregator").get("chainId").asLong()).isEqualTo(CHAIN);
    assertThat(byName.get("RBTCSynth").get("address").asString())
        .isEqualTo("0xb2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2");
  }

  @Test
  void healthReportMeasuresConsumerLagDeadLettersAndTheUnreachableNode() throws Exception {
    String dlt = "opsdata-health-it.dlt";
    String lagging = "opsdata-lagging-group";
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                EmbeddedInfrastructure.kafkaBootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(dlt, 1, (short) 1))).all().get();
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(
              producerProperties(), new StringSerializer(), new StringSerializer())) {
        for (int i = 0; i < 3; i++) {
          producer.send(new ProducerRecord<>(dlt, "k", "dead " + i)).get();
        }
      }
      // a group that committed the dead-letter topic's beginning is 3 records behind
      admin
          .alterConsumerGroupOffsets(
              lagging, Map.of(new TopicPartition(dlt, 0), new OffsetAndMetadata(0)))
          .all()
          .get();
    }
    JsonNode report = ops(HttpMethod.GET, "/api/ops/health", null, 200);
    Map<String, JsonNode> checks = new java.util.HashMap<>();
    report.get("checks").forEach(c -> checks.put(c.get("name").asString(), c));
    assertThat(checks)
        .containsOnlyKeys(
            "indexer",
            "consumer-lag",
            "dead-letters",
            "oracle",
            "pending-transactions",
            "backing-ratio",
            "users-at-risk");
    assertThat(checks.get("dead-letters").get("value").get("topics").get(dlt).asLong())
        .isEqualTo(3);
    assertThat(checks.get("dead-letters").get("status").asString()).isEqualTo("DEGRADED");
    JsonNode group = null;
    for (JsonNode g : checks.get("consumer-lag").get("value").get("groups")) {
      if (g.get("group").asString().equals(lagging)) {
        group = g;
      }
    }
    assertThat(group).isNotNull();
    assertThat(group.get("lag").asLong()).isEqualTo(3);
    assertThat(checks.get("indexer").get("reason").asString())
        .satisfiesAnyOf(
            r -> assertThat(r).contains("did not answer"),
            r -> assertThat(r).contains("no block of chain 31337"));
    assertThat(checks.get("indexer").get("status").asString()).isEqualTo("DEGRADED");

    // the figure is the documented formula over the checks returned
    double weighted = 0;
    int weights = 0;
    for (JsonNode c : report.get("checks")) {
      double credit =
          switch (c.get("status").asString()) {
            case "OK" -> 1;
            case "DEGRADED" -> 0.5;
            default -> 0;
          };
      weighted += c.get("weight").asInt() * credit;
      weights += c.get("weight").asInt();
      assertThat(c.get("reason").asString()).isNotBlank();
    }
    assertThat(report.get("score").asInt()).isEqualTo((int) Math.round(100 * weighted / weights));
    assertThat(report.get("status").asString()).isIn("DEGRADED", "FAILED");
    assertThat(report.get("formula").asString()).contains("sum(weight * credit)");
  }

  // --- helpers ---

  /**
   * Sends an operator request and checks its status. The one place operator requests are built: the
   * session of an operator goes here once {@code /api/ops/**} requires one.
   */
  private JsonNode ops(HttpMethod method, String uri, String jsonBody, int status) {
    WebTestClient.RequestBodySpec request =
        http.method(method).uri(uri).accept(MediaType.APPLICATION_JSON);
    WebTestClient.RequestHeadersSpec<?> ready =
        jsonBody == null
            ? request
            : request.contentType(MediaType.APPLICATION_JSON).bodyValue(jsonBody);
    byte[] body =
        ready
            .exchange()
            .expectStatus()
            .isEqualTo(status)
            .expectBody()
            .returnResult()
            .getResponseBody();
    return body == null ? null : parse(new String(body, StandardCharsets.UTF_8));
  }

  private JsonNode get(String uri) {
    return ops(HttpMethod.GET, uri, null, 200);
  }

  private ProfileService profiles(Map<String, String> keys, String current) {
    ProfileCipher cipher =
        new ProfileCipher(ProfileKeys.load(new ProfileProperties(current, "", keys)));
    return new ProfileService(jdbc, transactions, cipher, json);
  }

  private Map<String, Object> usersRow(String user) {
    List<Map<String, Object>> rows =
        db.queryForList("SELECT * FROM gateway.users WHERE user_address = ?", user);
    return rows.isEmpty() ? null : rows.get(0);
  }

  private long auditCount(String user) {
    return db.queryForObject(
        "SELECT count(*) FROM gateway.user_audit WHERE user_address = ?", Long.class, user);
  }

  private List<String> auditCauses(String user) {
    return db.queryForList(
        "SELECT cause FROM gateway.user_audit WHERE user_address = ? ORDER BY id",
        String.class,
        user);
  }

  private static long epochSeconds(Object timestamp) {
    if (timestamp instanceof java.sql.Timestamp ts) {
      return ts.toInstant().getEpochSecond();
    }
    if (timestamp instanceof java.time.OffsetDateTime odt) {
      return odt.toEpochSecond();
    }
    return Instant.parse(timestamp.toString()).getEpochSecond();
  }

  private static String address(int seed) {
    return String.format("0x%040x", seed);
  }

  private static TokenEvent transfer(ChainLogRef log, String from, String to) {
    return TokenEvent.newBuilder()
        .setLog(log)
        .setToken(Token.WRBTC)
        .setKind(TokenEventKind.TRANSFER)
        .setUser(from)
        .setFrom(from)
        .setTo(to)
        .setAmount("2500")
        .build();
  }

  private static EmergencyAlert alert(String user, AlertKind kind, long atMillis) {
    return EmergencyAlert.newBuilder()
        .setUser(user)
        .setKind(kind)
        .setRbtcBalanceSats(50_000L)
        .setFeeVaultBalanceWei("500000000000000")
        .setRequiredFeeWei("1000000000000000")
        .setEventId("31337:" + TestRecords.txHash(atMillis) + ":0")
        .setMessage(kind == AlertKind.AT_RISK ? "Deposit ETH into the fee vault." : "Covered.")
        .setOccurredAtMillis(atMillis)
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
    return props;
  }

  private static void send(ProducerRecord<String, SpecificRecord> record) {
    try (KafkaProducer<String, SpecificRecord> producer =
        new KafkaProducer<>(
            producerProperties(), new StringSerializer(), new AvroValueSerializer())) {
      producer.send(record).get();
    } catch (Exception e) {
      throw new IllegalStateException("could not produce test records", e);
    }
  }
}
