package com.reservebtc.gateway.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.reservebtc.gateway.EmbeddedInfrastructure;
import com.reservebtc.gateway.GatewayApplication;
import com.reservebtc.gateway.TestRecords;
import com.reservebtc.schemas.Keys;
import com.reservebtc.schemas.Service;
import com.reservebtc.schemas.Topic;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.BlockMarkerKind;
import com.reservebtc.schemas.serde.AvroValueSerializer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.RoundRobinAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.Disposable;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two gateway replicas (two application contexts of this JVM) in one Kafka consumer group over one
 * PostgreSQL, the projected topics spread over both: every stream client receives every event of
 * its address whichever replica projected it, and a client resuming with its last id on the other
 * replica receives each missed event once, in order, over SSE and over the WebSocket.
 */
@ExtendWith(EmbeddedInfrastructure.class)
class StreamReplicasIT {

  private static final long CHAIN = 7_777;
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int MAX_BACKLOG = 40;

  private static ConfigurableApplicationContext a;
  private static ConfigurableApplicationContext b;
  private static final AtomicInteger blocks = new AtomicInteger(1_000);

  @BeforeAll
  static void replicas() {
    a = replica();
    b = replica();
    int partitions =
        Topics.all().stream()
            .filter(t -> t.readBy(Service.GATEWAY))
            .mapToInt(Topic::partitions)
            .sum();
    // both replicas hold part of the projected topics' partitions, all of them together
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> {
              int onA = assigned(a);
              int onB = assigned(b);
              return onA > 0 && onB > 0 && onA + onB == partitions;
            });
  }

  @AfterAll
  static void stop() {
    if (b != null) {
      b.close();
    }
    if (a != null) {
      a.close();
    }
  }

  private static ConfigurableApplicationContext replica() {
    return new SpringApplicationBuilder(GatewayApplication.class)
        .run(
            "--server.port=0",
            "--spring.kafka.bootstrap-servers=" + EmbeddedInfrastructure.kafkaBootstrapServers(),
            "--spring.datasource.url=jdbc:postgresql://localhost:"
                + EmbeddedInfrastructure.postgres().getPort()
                + "/postgres?currentSchema=gateway",
            "--spring.datasource.username=postgres",
            "--rbtc.kafka.min-replication=1",
            "--rbtc.kafka.min-insync-replicas=1",
            "--rbtc.consumer.initial-backoff=50ms",
            "--rbtc.consumer.max-backoff=500ms",
            // spreads the partitions of every topic over both replicas
            "--spring.kafka.consumer.properties.partition.assignment.strategy="
                + RoundRobinAssignor.class.getName(),
            "--rbtc.gateway.sse.heartbeat=1s",
            "--rbtc.gateway.cors.allowed-origins=https://app.example",
            "--rbtc.gateway.stream.max-backlog=" + MAX_BACKLOG,
            // longer than every wait of this test: events travel by notification, not by polling
            "--rbtc.gateway.stream.relay-poll-interval=5m",
            "--rbtc.gateway.rate-limit.requests-per-second=1000",
            "--rbtc.gateway.rate-limit.burst=1000");
  }

  private static int assigned(ConfigurableApplicationContext replica) {
    var partitions =
        replica.getBean(ConcurrentMessageListenerContainer.class).getAssignedPartitions();
    return partitions == null ? 0 : partitions.size();
  }

  private static int port(ConfigurableApplicationContext replica) {
    return Integer.parseInt(replica.getEnvironment().getProperty("local.server.port"));
  }

  @Test
  void clientsOnBothReplicasReceiveEveryEventAndAResumeOnTheOtherReplicaMissesNothing() {
    String user = address(0x5A1);
    StreamClient onA = StreamClient.sse(port(a), user, null);
    StreamClient onB = StreamClient.sse(port(b), user, null);
    WsClient wsOnB = WsClient.open(port(b), user, null, null);
    try {
      await().until(() -> onA.connected() && onB.connected() && wsOnB.connected());

      // Synced and mint records travel on two topics, projected by different replicas
      sendDeposits(user, 6);
      List<Long> expected = awaitRows(user, 12);
      await().until(() -> onA.ids().equals(expected) && onB.ids().equals(expected));
      await().until(() -> wsOnB.ids().equals(expected));
      assertThat(onA.types()).containsOnly(StreamEvent.TRANSACTION);
      assertThat(onA.data()).isEqualTo(onB.data());

      // the client on A disconnects, misses events (and their finality), then resumes on B
      onA.close();
      long last = expected.get(expected.size() - 1);
      sendDeposits(user, 5);
      send(
          List.of(
              new ProducerRecord<>(
                  Topics.CHAIN_BLOCKS.name(),
                  Keys.chain(CHAIN),
                  TestRecords.marker(CHAIN, BlockMarkerKind.CONFIRMED, blocks.get()))));
      // the marker's finality events commit in one transaction: one visible means all are
      await()
          .until(
              () ->
                  count(user, StreamEvent.TRANSACTION) >= 22
                      && count(user, StreamEvent.FINALITY) > 0);
      List<Long> all = rows(user);
      await().until(() -> onB.ids().equals(all));
      List<Long> missed = all.subList(expected.size(), all.size());

      StreamClient resumed = StreamClient.sse(port(b), user, Long.toString(last));
      WsClient wsResumed = WsClient.open(port(a), user, Long.toString(last), null);
      try {
        await()
            .untilAsserted(
                () -> {
                  assertThat(resumed.ids()).isEqualTo(missed);
                  assertThat(wsResumed.ids()).isEqualTo(missed);
                });
        assertThat(resumed.types()).contains(StreamEvent.TRANSACTION, StreamEvent.FINALITY);
        assertThat(resumed.data()).isEqualTo(onB.data().subList(expected.size(), all.size()));
        assertThat(wsResumed.data()).isEqualTo(resumed.data());

        // then live events, once
        sendDeposits(user, 1);
        List<Long> after = awaitRows(user, all.size() + 2);
        List<Long> live = new ArrayList<>(missed);
        live.addAll(after.subList(all.size(), after.size()));
        await().until(() -> resumed.ids().equals(live) && wsResumed.ids().equals(live));
        await().until(() -> onB.ids().equals(after) && wsOnB.ids().equals(after));
      } finally {
        resumed.close();
        wsResumed.close();
      }
    } finally {
      onA.close();
      onB.close();
      wsOnB.close();
    }
  }

  @Test
  void idsThatCannotBeResumedGetAResetEventAndThenLiveEvents() {
    String user = address(0x5A2);
    sendDeposits(user, MAX_BACKLOG / 2 + 1);
    List<Long> rows = awaitRows(user, MAX_BACKLOG + 2);
    long head = db().queryForObject("SELECT max(id) FROM stream_events", Long.class);

    StreamClient garbage = StreamClient.sse(port(a), user, "not-an-id");
    StreamClient unknown = StreamClient.sse(port(b), user, Long.toString(head + 1_000_000));
    // more than max-backlog events of the address after it
    StreamClient tooFar = StreamClient.sse(port(a), user, Long.toString(rows.get(0) - 1));
    WsClient wsGarbage = WsClient.open(port(b), user, "-1", null);
    try {
      await()
          .untilAsserted(
              () ->
                  assertThat(
                          Arrays.asList(
                              garbage.resetReason(),
                              unknown.resetReason(),
                              tooFar.resetReason(),
                              wsGarbage.resetReason()))
                      .containsExactly("malformed", "unknown", "too_far_behind", "malformed"));
      // the reset's id is a resume point at or above every row that existed
      assertThat(garbage.ids().get(0)).isGreaterThanOrEqualTo(rows.get(rows.size() - 1));

      // live events follow the reset, once
      sendDeposits(user, 1);
      List<Long> after = awaitRows(user, rows.size() + 2);
      List<Long> fresh = after.subList(rows.size(), after.size());
      await()
          .until(
              () ->
                  garbage.ids().subList(1, garbage.ids().size()).equals(fresh)
                      && tooFar.ids().subList(1, tooFar.ids().size()).equals(fresh)
                      && wsGarbage.ids().subList(1, wsGarbage.ids().size()).equals(fresh));
    } finally {
      garbage.close();
      unknown.close();
      tooFar.close();
      wsGarbage.close();
    }

    // Retention deletes the address's oldest rows (aged here) and raises the low-water mark: a
    // resume from before it is expired, one from after it still resumes.
    List<Long> all = awaitRows(user, rows.size() + 2);
    long agedThrough = all.get(4);
    db().update(
            "UPDATE stream_events SET created_at = now() - interval '2 days'"
                + " WHERE address = ? AND id <= ?",
            user,
            agedThrough);
    a.getBean(StreamRetention.class).deleteExpired();
    assertThat(db().queryForObject("SELECT deleted_through FROM stream_retention", Long.class))
        .isGreaterThanOrEqualTo(agedThrough);
    StreamClient expired = StreamClient.sse(port(b), user, Long.toString(all.get(2)));
    long resumeFrom = all.get(all.size() - 3);
    StreamClient kept = StreamClient.sse(port(b), user, Long.toString(resumeFrom));
    try {
      await().until(() -> expired.resetReason() != null);
      assertThat(expired.resetReason()).isEqualTo("expired");
      await().until(() -> kept.ids().equals(all.subList(all.size() - 2, all.size())));
    } finally {
      expired.close();
      kept.close();
    }
  }

  @Test
  void eventsCommittedWhileTheRelayConnectionIsDownArriveOnceItIsBack() {
    String user = address(0x5A3);
    StreamClient onA = StreamClient.sse(port(a), user, null);
    StreamClient onB = StreamClient.sse(port(b), user, null);
    try {
      await().until(() -> onA.connected() && onB.connected());
      sendDeposits(user, 1);
      List<Long> first = awaitRows(user, 2);
      await().until(() -> onA.ids().equals(first) && onB.ids().equals(first));

      // both replicas' relay connections are cut by the server
      int cut =
          db().queryForObject(
                  "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                      + " WHERE application_name = ?",
                  Integer.class,
                  StreamRelay.APPLICATION_NAME);
      assertThat(cut).isGreaterThanOrEqualTo(2);
      sendDeposits(user, 3);
      List<Long> all = awaitRows(user, 8);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> onA.ids().equals(all) && onB.ids().equals(all));
      await()
          .until(
              () ->
                  db().queryForObject(
                              "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?",
                              Integer.class,
                              StreamRelay.APPLICATION_NAME)
                      >= 2);
    } finally {
      onA.close();
      onB.close();
    }
  }

  @Test
  void theStreamLogAllocatesIdsInListOrderAndOnlyInsideATransaction() {
    StreamLog log = a.getBean(StreamLog.class);
    String user = address(0x5A4);
    List<StreamEvent> events = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      events.add(
          StreamEvent.transaction(StreamEvent.FINALITY, user, "e" + i, "CONFIRMED", i, true, null));
    }
    assertThatThrownBy(() -> log.append(events))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("inside the projection's database transaction");

    TransactionTemplate transactions = a.getBean(TransactionTemplate.class);
    // a rolled-back append leaves nothing
    transactions.executeWithoutResult(
        status -> {
          log.append(events.subList(0, 10));
          status.setRollbackOnly();
        });
    assertThat(rows(user)).isEmpty();

    transactions.executeWithoutResult(status -> log.append(events));
    List<String> eventIds =
        db().queryForList(
                "SELECT payload::json->>'eventId' FROM stream_events WHERE address = ? ORDER BY id",
                String.class,
                user);
    assertThat(eventIds).hasSize(5_000);
    for (int i = 0; i < eventIds.size(); i++) {
      assertThat(eventIds.get(i)).isEqualTo("e" + i);
    }
  }

  @Test
  void aWebSocketFromAForeignOriginIsRefusedAndOneFromAnAllowedOriginIsServed() {
    String user = address(0x5A5);
    WebTestClient http = http(port(a));
    http.get()
        .uri(StreamWebSocketController.PATH + "?address=" + user)
        .header(HttpHeaders.ORIGIN, "https://evil.example")
        .header(HttpHeaders.UPGRADE, "websocket")
        .header(HttpHeaders.CONNECTION, "Upgrade")
        .header("Sec-WebSocket-Version", "13")
        .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
        .exchange()
        .expectStatus()
        .isForbidden();
    http.get()
        .uri(StreamWebSocketController.PATH + "?address=0x12")
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.error")
        .isEqualTo("invalid_address");

    // documented in the OpenAPI description, with the resume rule of both streams
    String openApi =
        new String(
            http.get().uri("/v3/api-docs").exchange().expectBody().returnResult().getResponseBody(),
            java.nio.charset.StandardCharsets.UTF_8);
    assertThat(openApi)
        .contains(StreamWebSocketController.PATH, "Last-Event-ID", "lastEventId", "reset");

    WsClient allowed = WsClient.open(port(a), user, null, "https://app.example");
    try {
      await().until(allowed::connected);
      sendDeposits(user, 1);
      List<Long> rows = awaitRows(user, 2);
      await().until(() -> allowed.ids().equals(rows));
    } finally {
      allowed.close();
    }
  }

  // --- helpers ---

  private static String address(int seed) {
    return String.format("0x%040x", seed);
  }

  private static JdbcTemplate db() {
    return new JdbcTemplate(
        EmbeddedInfrastructure.postgres()
            .getDatabase("postgres", "postgres", java.util.Map.of("currentSchema", "gateway")));
  }

  private static List<Long> rows(String user) {
    return db().queryForList(
            "SELECT id FROM stream_events WHERE address = ? ORDER BY id", Long.class, user);
  }

  private static int count(String user, String type) {
    return db().queryForObject(
            "SELECT count(*) FROM stream_events WHERE address = ? AND type = ?",
            Integer.class,
            user,
            type);
  }

  /** The address's rows once there are at least {@code count}. */
  private static List<Long> awaitRows(String user, int count) {
    await().until(() -> rows(user).size() >= count);
    return rows(user);
  }

  /** Per deposit, a Synced and its rBTC mint: two records on two topics, two stream events. */
  private static void sendDeposits(String user, int deposits) {
    List<ProducerRecord<String, SpecificRecord>> records = new ArrayList<>();
    for (int i = 0; i < deposits; i++) {
      int block = blocks.incrementAndGet();
      String tx = TestRecords.txHash(((long) user.hashCode() << 20) + block);
      records.add(
          record(
              Topics.CHAIN_TOKEN_TRANSFERS,
              user,
              TestRecords.synthMint(
                  TestRecords.log(CHAIN, TestRecords.SYNTH, block, 0, tx, 0, false), user, 1_000)));
      records.add(
          record(
              Topics.CHAIN_SYNCED,
              user,
              TestRecords.synced(
                  TestRecords.log(CHAIN, TestRecords.AGGREGATOR, block, 0, tx, 1, false),
                  user,
                  1_000L * block,
                  1_000,
                  "1010000000000000")));
    }
    send(records);
  }

  private static ProducerRecord<String, SpecificRecord> record(
      Topic<?> topic, String key, SpecificRecord value) {
    return new ProducerRecord<>(topic.name(), key, value);
  }

  private static void send(List<ProducerRecord<String, SpecificRecord>> records) {
    Properties props = new Properties();
    props.put(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedInfrastructure.kafkaBootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    try (KafkaProducer<String, SpecificRecord> producer =
        new KafkaProducer<>(props, new StringSerializer(), new AvroValueSerializer())) {
      for (ProducerRecord<String, SpecificRecord> record : records) {
        producer.send(record).get();
      }
    } catch (Exception e) {
      throw new IllegalStateException("could not produce test records", e);
    }
  }

  private static WebTestClient http(int port) {
    return WebTestClient.bindToServer(
            new ReactorClientHttpConnector(HttpClient.create(ConnectionProvider.newConnection())))
        .baseUrl("http://127.0.0.1:" + port)
        .responseTimeout(Duration.ofSeconds(20))
        .build();
  }

  /** One received event: its stream id, type and data. */
  private record Received(long id, String type, JsonNode data) {}

  /** An SSE client that records what it receives. */
  private static final class StreamClient {
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private Disposable subscription;

    static StreamClient sse(int port, String user, String lastEventId) {
      StreamClient client = new StreamClient();
      WebTestClient.RequestHeadersSpec<?> request =
          http(port).get().uri("/api/realtime/stream?address=" + user);
      if (lastEventId != null) {
        request = request.header("Last-Event-ID", lastEventId);
      }
      client.subscription =
          request
              .accept(MediaType.TEXT_EVENT_STREAM)
              .exchange()
              .expectStatus()
              .isOk()
              .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {})
              .getResponseBody()
              .subscribe(
                  sse -> {
                    if (sse.data() != null) {
                      client.received.add(
                          new Received(
                              Long.parseLong(sse.id()), sse.event(), JSON.readTree(sse.data())));
                    } else if (sse.comment() != null) {
                      client.comments.add(sse.comment());
                    }
                  });
      return client;
    }

    boolean connected() {
      return comments.contains("connected");
    }

    List<Long> ids() {
      return received.stream().map(Received::id).toList();
    }

    List<String> types() {
      return received.stream().map(Received::type).toList();
    }

    List<JsonNode> data() {
      return received.stream().map(Received::data).toList();
    }

    String resetReason() {
      return received.isEmpty() || !received.get(0).type().equals(StreamBacklog.RESET)
          ? null
          : received.get(0).data().get("reason").asString();
    }

    void close() {
      subscription.dispose();
    }
  }

  /** A WebSocket client that records the frames it receives. */
  private static final class WsClient {
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<String> control = new CopyOnWriteArrayList<>();
    private Disposable session;

    static WsClient open(int port, String user, String lastEventId, String origin) {
      WsClient client = new WsClient();
      HttpHeaders headers = new HttpHeaders();
      if (origin != null) {
        headers.setOrigin(origin);
      }
      String uri =
          "ws://127.0.0.1:"
              + port
              + StreamWebSocketController.PATH
              + "?address="
              + user
              + (lastEventId == null ? "" : "&lastEventId=" + lastEventId);
      client.session =
          new ReactorNettyWebSocketClient(HttpClient.create(ConnectionProvider.newConnection()))
              .execute(
                  URI.create(uri),
                  headers,
                  s ->
                      s.receive()
                          .map(WebSocketMessage::getPayloadAsText)
                          .doOnNext(client::frame)
                          .then())
              .subscribe();
      return client;
    }

    private void frame(String text) {
      JsonNode frame = JSON.readTree(text);
      if (frame.has("id")) {
        received.add(
            new Received(
                frame.get("id").asLong(), frame.get("event").asString(), frame.get("data")));
      } else {
        control.add(frame.get("event").asString());
      }
    }

    boolean connected() {
      return control.contains("connected");
    }

    List<Long> ids() {
      return received.stream().map(Received::id).toList();
    }

    List<JsonNode> data() {
      return received.stream().map(Received::data).toList();
    }

    String resetReason() {
      return received.isEmpty() || !received.get(0).type().equals(StreamBacklog.RESET)
          ? null
          : received.get(0).data().get("reason").asString();
    }

    void close() {
      session.dispose();
    }
  }
}
