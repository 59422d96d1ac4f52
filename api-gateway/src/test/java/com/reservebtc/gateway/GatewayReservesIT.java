package com.reservebtc.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.reservebtc.reserves.verifier.Statement;
import com.reservebtc.reserves.verifier.Verifier;
import com.reservebtc.schemas.Keys;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.ReserveAttestation;
import com.reservebtc.schemas.serde.AvroValueSerializer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Sign;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway's proof-of-reserves routes against a real broker and database: signed attestations
 * projected from rbtc.reserves.attestations.v1 are listed as received (the offline verifier accepts
 * the history as served), an attestation re-signed for a sequence already published is listed
 * beside the first and named a conflict, and a proof request is checked before it is forwarded (the
 * oracle at the configured URL is not running: 503).
 */
@ExtendWith(EmbeddedInfrastructure.class)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "rbtc.gateway.oracle-url=http://127.0.0.1:9",
      "rbtc.gateway.rate-limit.enabled=false",
      "rbtc.kafka.min-replication=1",
      "rbtc.kafka.min-insync-replicas=1"
    })
@DirtiesContext
class GatewayReservesIT {

  private static final Credentials OPERATOR =
      Credentials.create("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
  private static final Credentials STRANGER =
      Credentials.create("8f2a55949038a9610f50fb23b5883af3b4ecb3c3bb792cbcefbd1542c692be63");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * A broker and a database of this class's own: the attestations it publishes must not reach the
   * other classes' projections (they share the run's Postgres server, not this database).
   */
  private static EmbeddedKafkaKraftBroker kafka;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) throws Exception {
    kafka = new EmbeddedKafkaKraftBroker(1, 1);
    kafka.kafkaPorts(0);
    kafka.brokerProperty("offsets.topic.num.partitions", "1");
    kafka.brokerProperty("group.initial.rebalance.delay.ms", "0");
    kafka.afterPropertiesSet();
    try (org.apache.kafka.clients.admin.Admin admin =
        org.apache.kafka.clients.admin.Admin.create(
            java.util.Map.of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.getBrokersAsString()))) {
      admin
          .createTopics(com.reservebtc.schemas.CatalogueTopics.newTopics())
          .all()
          .get(60, java.util.concurrent.TimeUnit.SECONDS);
    }
    try (java.sql.Connection c =
            EmbeddedInfrastructure.postgres().getPostgresDatabase().getConnection();
        java.sql.Statement st = c.createStatement()) {
      st.execute("create database gateway_reserves_it");
    }
    registry.add("spring.kafka.bootstrap-servers", kafka::getBrokersAsString);
    registry.add(
        "spring.datasource.url",
        () ->
            "jdbc:postgresql://localhost:"
                + EmbeddedInfrastructure.postgres().getPort()
                + "/gateway_reserves_it?currentSchema=gateway");
    registry.add("spring.datasource.username", () -> "postgres");
  }

  /** Stops the broker when the context closes, after its listener containers have stopped. */
  @org.springframework.boot.test.context.TestConfiguration
  static class StopBrokerAfterContext {
    @org.springframework.context.annotation.Bean
    AutoCloseable reservesItBroker() {
      return () -> kafka.destroy();
    }
  }

  @LocalServerPort int port;

  private WebTestClient http;

  @BeforeEach
  void client() {
    http = TestClients.gateway(port);
  }

  @Test
  void listsEverySignedAttestationAsReceivedAndFlagsAReplacedOne(@TempDir Path dir)
      throws Exception {
    // a chain of its own, far above anything another test publishes
    long base = 700_000 + (System.nanoTime() & 0xffff);
    Statement first = statement(base, "11".repeat(32), 60_000, 60_000);
    Statement second = statement(base + 1, first.hash(), 60_000, 85_000);
    send(attestation(first, OPERATOR), attestation(second, OPERATOR));
    String signer = OPERATOR.getAddress().toLowerCase(Locale.ROOT);

    JsonNode history =
        await()
            .until(
                () -> get("/api/realtime/proof-of-reserves/history?limit=2"),
                h ->
                    h.get("attestations").size() == 2
                        && h.get("attestations").get(0).get("sequence").asLong() == base + 1);

    assertThat(history.get("conflicts")).isEmpty();
    JsonNode newest = history.get("attestations").get(0);
    assertThat(newest.get("statement").asString()).isEqualTo(second.text());
    assertThat(newest.get("signer").asString()).isEqualTo(signer);
    assertThat(newest.get("backing").asString()).isEqualTo("SHORTFALL");
    assertThat(newest.get("differenceSats").asString()).isEqualTo("-25000");
    assertThat(newest.get("previousHash").asString()).isEqualTo(first.hash());
    assertThat(verify(dir, "history", signer, history.toString()))
        .contains("VERIFIED", "#" + (base + 1) + " " + second.hash());
    assertThat(verify(dir, "history", STRANGER.getAddress(), history.toString()))
        .contains("REJECTED", "not by the published signer");
    JsonNode one = get("/api/realtime/proof-of-reserves/attestation?sequence=" + base);
    assertThat(one.get("attestations").get(0).get("statementHash").asString())
        .isEqualTo(first.hash());

    // The operator re-signs the newest sequence with another supply: both stay listed.
    Statement replaced = statement(base + 1, first.hash(), 60_000, 60_000);
    send(attestation(replaced, OPERATOR));
    JsonNode after =
        await()
            .until(
                () -> get("/api/realtime/proof-of-reserves/history?limit=2"),
                h -> h.get("attestations").size() == 3);
    assertThat(after.get("conflicts").get(0).asLong()).isEqualTo(base + 1);
    assertThat(verify(dir, "history", signer, after.toString()))
        .contains("REJECTED", "sequence " + (base + 1) + " was signed more than once");
  }

  @Test
  void aProofRequestIsCheckedThenForwardedToTheOracle() {
    http.get()
        .uri("/api/realtime/proof-of-reserves/proof?address=0x12")
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.error")
        .isEqualTo("invalid_address");
    http.get()
        .uri("/api/realtime/proof-of-reserves/history?limit=0")
        .exchange()
        .expectStatus()
        .isBadRequest();
    http.get()
        .uri(
            "/api/realtime/proof-of-reserves/proof?address=0x70997970c51812dc3a010c7d01b50e0d17dc79c8"
                + "&timestamp=1&signature=0x00")
        .exchange()
        .expectStatus()
        .isEqualTo(503)
        .expectBody()
        .jsonPath("$.error")
        .isEqualTo("oracle_unavailable");
    http.get()
        .uri("/api/realtime/proof-of-reserves/attestation?sequence=999999999999")
        .exchange()
        .expectStatus()
        .isNotFound();
  }

  private static Statement statement(long sequence, String previous, long reserves, long supply) {
    return new Statement(
        sequence,
        previous,
        "ab".repeat(32),
        reserves,
        2,
        "regtest",
        150 + sequence,
        "0f".repeat(32),
        1,
        31337,
        "0x" + "5f".repeat(20),
        BigInteger.valueOf(supply),
        4_000 + sequence,
        Instant.parse("2026-11-01T12:00:00Z").plusSeconds(sequence));
  }

  private static ReserveAttestation attestation(Statement s, Credentials key) {
    Sign.SignatureData data =
        Sign.signPrefixedMessage(s.text().getBytes(StandardCharsets.UTF_8), key.getEcKeyPair());
    HexFormat hex = HexFormat.of();
    return ReserveAttestation.newBuilder()
        .setBtcHeight(s.btcHeight())
        .setBtcTipHash(s.btcBlockHash())
        .setMerkleRoot(s.merkleRoot())
        .setLeafCount(s.leafCount())
        .setTotalConfirmedSats(s.reservesSats())
        .setSynthTotalSupply(s.synthTotalSupply().toString())
        .setBackingRatio(s.backingPercent())
        .setCreatedAtMillis(s.created().toEpochMilli())
        .setEncoding(Statement.ENCODING)
        .setSequence(s.sequence())
        .setPreviousHash(s.previousHash())
        .setStatement(s.text())
        .setStatementHash(s.hash())
        .setSignature(
            "0x"
                + hex.formatHex(data.getR())
                + hex.formatHex(data.getS())
                + hex.formatHex(data.getV()))
        .setSigner(key.getAddress().toLowerCase(Locale.ROOT))
        .setMinConfirmations(s.confirmations())
        .setSynthBlockNumber(s.evmBlock())
        .setDifferenceSats(s.differenceSats().toString())
        .build();
  }

  private static void send(ReserveAttestation... attestations) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, SpecificRecord> producer =
        new KafkaProducer<>(props, new StringSerializer(), new AvroValueSerializer())) {
      for (ReserveAttestation a : attestations) {
        producer
            .send(new ProducerRecord<>(Topics.RESERVES_ATTESTATIONS.name(), Keys.GLOBAL, a))
            .get();
      }
    }
  }

  private static String verify(Path dir, String command, String signer, String json)
      throws Exception {
    Path file = Files.createTempFile(dir, command, ".json");
    Files.writeString(file, json);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    int status =
        Verifier.run(new String[] {command, "--signer", signer, file.toString()}, print, print);
    return out.toString(StandardCharsets.UTF_8) + "exit " + status;
  }

  private JsonNode get(String uri) {
    byte[] body =
        http.get()
            .uri(uri)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult()
            .getResponseBody();
    return JSON.readTree(body);
  }
}
