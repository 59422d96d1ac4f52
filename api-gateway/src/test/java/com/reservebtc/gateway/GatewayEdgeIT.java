package com.reservebtc.gateway;

import static com.reservebtc.gateway.ContractShapes.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.reservebtc.gateway.binding.OracleStub;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.FluxExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;

/**
 * The gateway's edges against the running application: per-client rate limits and stream caps
 * behind a trusted proxy, and the binding write path forwarded to an oracle on a free port.
 */
@ExtendWith(EmbeddedInfrastructure.class)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "rbtc.gateway.rate-limit.requests-per-second=2",
      "rbtc.gateway.rate-limit.burst=6",
      "rbtc.gateway.rate-limit.trusted-proxies=127.0.0.1,::1",
      "rbtc.gateway.rate-limit.streams-per-client=2",
      "rbtc.gateway.forwarding.max-request-size=2KB",
      "rbtc.gateway.sse.heartbeat=1s",
      "rbtc.kafka.min-replication=1",
      "rbtc.kafka.min-insync-replicas=1"
    })
@DirtiesContext
class GatewayEdgeIT {

  private static final OracleStub ORACLE = new OracleStub();
  private static final String MESSAGE =
      "ReserveBTC Wallet Verification\\nTimestamp: 1758600000\\nMegaETH Address:"
          + " 0xf45d5feefd7235d9872079d537f5796ba79b1e52\\nI confirm ownership of this Bitcoin"
          + " address for use with ReserveBTC protocol.";

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
    registry.add("rbtc.gateway.oracle-url", ORACLE::baseUrl);
  }

  @AfterAll
  static void stopOracle() {
    ORACLE.close();
  }

  @LocalServerPort int port;

  private WebTestClient http;

  @BeforeEach
  void client() {
    http = TestClients.gateway(port);
  }

  @Test
  void aClientBeyondItsBurstGets429WithRetryAfterWhileOthersAreServed() {
    String client = "198.51.100.10";
    List<Integer> statuses = new ArrayList<>();
    EntityExchangeResult<byte[]> refused = null;
    for (int i = 0; i < 20 && refused == null; i++) {
      EntityExchangeResult<byte[]> result =
          http.get()
              .uri("/api/realtime/proof-of-reserves")
              .header("X-Forwarded-For", "203.0.113.99, " + client)
              .exchange()
              .expectBody()
              .returnResult();
      statuses.add(result.getStatus().value());
      if (result.getStatus().value() == 429) {
        refused = result;
      }
    }
    assertThat(refused).as("statuses %s", statuses).isNotNull();
    // the burst was served first (a slow machine may have refilled a token or two meanwhile)
    assertThat(statuses.subList(0, 6)).containsOnly(200);
    assertThat(refused.getResponseHeaders().getFirst("Retry-After")).isEqualTo("1");
    assertThat(
            refused
                .getResponseHeaders()
                .getContentType()
                .isCompatibleWith(MediaType.APPLICATION_JSON))
        .isTrue();
    JsonNode error = parse(new String(refused.getResponseBody(), StandardCharsets.UTF_8));
    assertThat(error.get("error").asString()).isEqualTo("rate_limited");
    assertThat(error.get("message").asString()).contains("2 requests per second");

    // another client behind the same proxy, and the actuator, are unaffected
    http.get()
        .uri("/api/realtime/proof-of-reserves")
        .header("X-Forwarded-For", "198.51.100.11")
        .exchange()
        .expectStatus()
        .isOk();
    for (int i = 0; i < 8; i++) {
      http.get()
          .uri("/actuator/health/liveness")
          .header("X-Forwarded-For", client)
          .exchange()
          .expectStatus()
          .isOk();
    }
    // once a token is back, the client is served again
    await()
        .pollInterval(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                http.get()
                    .uri("/api/realtime/proof-of-reserves")
                    .header("X-Forwarded-For", client)
                    .exchange()
                    .expectStatus()
                    .isOk());
  }

  @Test
  void streamsAreCappedPerClientAndASlotFreesWhenAStreamCloses() {
    String client = "198.51.100.20";
    String user = "0x" + "e1".repeat(20);
    List<String> first = new CopyOnWriteArrayList<>();
    List<String> second = new CopyOnWriteArrayList<>();
    Disposable s1 = openStream(client, user, first);
    Disposable s2 = openStream(client, user, second);
    assertThat(s1).isNotNull();
    assertThat(s2).isNotNull();
    try {
      await().until(() -> first.contains("connected") && second.contains("connected"));

      byte[] body =
          http.get()
              .uri("/api/realtime/stream?address=" + user)
              .header("X-Forwarded-For", client)
              .accept(MediaType.TEXT_EVENT_STREAM)
              .exchange()
              .expectStatus()
              .isEqualTo(429)
              .expectHeader()
              .valueEquals("Retry-After", "5")
              .expectBody()
              .returnResult()
              .getResponseBody();
      assertThat(parse(new String(body, StandardCharsets.UTF_8)).get("error").asString())
          .isEqualTo("too_many_streams");
      // other requests of the client are not affected by its open streams
      http.get()
          .uri("/api/realtime/balances?address=" + user)
          .header("X-Forwarded-For", client)
          .exchange()
          .expectStatus()
          .isOk();

      s1.dispose(); // the client disconnects one stream
      List<String> third = new CopyOnWriteArrayList<>();
      Disposable[] s3 = new Disposable[1];
      await()
          .pollInterval(Duration.ofMillis(600))
          .atMost(Duration.ofSeconds(15))
          .until(
              () -> {
                s3[0] = openStream(client, user, third);
                return s3[0] != null;
              });
      await().until(() -> third.contains("connected"));
      s3[0].dispose();
    } finally {
      s1.dispose();
      s2.dispose();
    }
  }

  /** Opens a stream; null if it was refused. */
  private Disposable openStream(String client, String user, List<String> seen) {
    FluxExchangeResult<ServerSentEvent<String>> result =
        TestClients.gateway(port)
            .get()
            .uri("/api/realtime/stream?address=" + user)
            .header("X-Forwarded-For", client)
            .accept(MediaType.TEXT_EVENT_STREAM)
            .exchange()
            .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {});
    if (result.getStatus().value() != 200) {
      result.getResponseBody().subscribe().dispose();
      return null;
    }
    return result
        .getResponseBody()
        .subscribe(sse -> seen.add(sse.comment() != null ? sse.comment() : "event"));
  }

  private WebTestClient.ResponseSpec post(String client, String contentType, String body) {
    return http.post()
        .uri("/api/realtime/bitcoin-addresses/verify")
        .header("X-Forwarded-For", client)
        .header("Content-Type", contentType)
        .bodyValue(body.getBytes(StandardCharsets.UTF_8))
        .exchange();
  }

  private static String binding(String btc) {
    return "{\"ethAddress\":\"0xf45d5feefd7235d9872079d537f5796ba79b1e52\",\"btcAddress\":\""
        + btc
        + "\",\"message\":\""
        + MESSAGE
        + "\",\"signature\":\"SGVsbG8gd29ybGQ=\",\"ethSignature\":\"0x"
        + "1c".repeat(65)
        + "\",\"ignored\":true}";
  }

  private static JsonNode json(WebTestClient.ResponseSpec response, int status) {
    byte[] body =
        response
            .expectStatus()
            .isEqualTo(status)
            .expectHeader()
            .contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
            .expectBody()
            .returnResult()
            .getResponseBody();
    return parse(new String(body, StandardCharsets.UTF_8));
  }

  @Test
  void forwardsAVerificationToTheOracleAndPassesItsAnswerThrough() {
    int before = ORACLE.received().size();
    JsonNode created =
        json(
            post(
                "198.51.100.30",
                "application/json",
                binding("tb1qtkj7hlhv9drfwe2mupq0yt9m6fsungkjjv5lr7")),
            201);
    assertThat(created.get("created").asBoolean()).isTrue();
    assertThat(ORACLE.received()).hasSize(before + 1);
    JsonNode forwarded = parse(ORACLE.received().get(before));
    assertThat(forwarded.propertyNames())
        .containsExactly("ethAddress", "btcAddress", "message", "signature", "ethSignature");
    assertThat(forwarded.get("message").asString())
        .startsWith("ReserveBTC Wallet Verification\nTimestamp: 1758600000\n");

    JsonNode conflict =
        json(
            post("198.51.100.30", "application/json", binding("tb1qconflictconflictconflict")),
            409);
    assertThat(conflict.get("error").asString()).isEqualTo("btc_address_already_bound");

    JsonNode badGateway =
        json(post("198.51.100.30", "application/json", binding("tb1qhtmlhtmlhtmlhtml")), 502);
    assertThat(badGateway.get("error").asString()).isEqualTo("oracle_bad_response");
  }

  @Test
  void forwardsAnUnbindingSignedByEitherKeyToTheOracle() {
    int before = ORACLE.received().size();
    JsonNode removed =
        json(
            http.post()
                .uri("/api/realtime/bitcoin-addresses/unbind")
                .header("X-Forwarded-For", "198.51.100.31")
                .header("Content-Type", "application/json")
                .bodyValue(
                    ("{\"btcAddress\":\"tb1qtkj7hlhv9drfwe2mupq0yt9m6fsungkjjv5lr7\","
                            + "\"message\":\"ReserveBTC Unbind Request\\n...\","
                            + "\"ethSignature\":\"0x"
                            + "1c".repeat(65)
                            + "\"}")
                        .getBytes(StandardCharsets.UTF_8))
                .exchange(),
            200);
    assertThat(removed.get("unbound").asBoolean()).isTrue();
    assertThat(ORACLE.received()).hasSize(before + 1);
    String forwarded = ORACLE.received().get(before);
    assertThat(forwarded)
        .startsWith("DELETE /api/bindings/tb1qtkj7hlhv9drfwe2mupq0yt9m6fsungkjjv5lr7 ");
    JsonNode body = parse(forwarded.substring(forwarded.indexOf(' ', 7) + 1));
    assertThat(body.get("ethSignature").asString()).isEqualTo("0x" + "1c".repeat(65));
    assertThat(body.get("signature").isNull()).isTrue();
  }

  @Test
  void refusesPathsWithSemicolonParameters() {
    for (String path :
        new String[] {
          "/api/realtime/balances;jsessionid=1?address=0xf45d5feefd7235d9872079d537f5796ba79b1e52",
          "/api/realtime/sync-status;a=b?address=0xf45d5feefd7235d9872079d537f5796ba79b1e52"
        }) {
      JsonNode error =
          json(http.get().uri(path).header("X-Forwarded-For", "198.51.100.41").exchange(), 400);
      assertThat(error.get("error").asString()).isEqualTo("invalid_path");
    }
  }

  @Test
  void rejectsMalformedVerificationsWithoutCallingTheOracle() {
    int before = ORACLE.received().size();
    String client = "198.51.100.40";
    assertThat(
            json(post(client, "application/json", "{\"ethAddress\":\"0x12\"}"), 400)
                .get("error")
                .asString())
        .isEqualTo("invalid_binding_request");
    assertThat(json(post(client, "application/json", "{not json"), 400).get("error").asString())
        .isEqualTo("invalid_json");
    // An empty body is a malformed request, not a server error.
    assertThat(json(post(client, "application/json", ""), 400).get("error").asString())
        .isEqualTo("invalid_binding_request");
    assertThat(
            json(post(client, "text/plain", binding("tb1qfinefinefinefine")), 415)
                .get("error")
                .asString())
        .isEqualTo("unsupported_media_type");
    String huge =
        binding("tb1qfinefinefinefine")
            .replace("\"ignored\":true", "\"pad\":\"" + "x".repeat(3000) + "\"");
    assertThat(json(post(client, "application/json", huge), 413).get("error").asString())
        .isEqualTo("payload_too_large");
    assertThat(ORACLE.received()).hasSize(before);
  }

  @Test
  void aClientStillSendingAnOversizedBodyReadsTheJson413() throws Exception {
    String hundredsOfKilobytes =
        binding("tb1qfinefinefinefine")
            .replace("\"ignored\":true", "\"pad\":\"" + "x".repeat(400_000) + "\"");
    java.net.http.HttpResponse<String> answer =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(
                            "http://127.0.0.1:" + port + "/api/realtime/bitcoin-addresses/verify"))
                    .header("Content-Type", "application/json")
                    .header("X-Forwarded-For", "198.51.100.41")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(hundredsOfKilobytes))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).isEqualTo(413);
    assertThat(answer.body()).contains("\"error\":\"payload_too_large\"");
  }

  @Test
  void theVerifyPathAllowsCrossOriginPosts() {
    http.options()
        .uri("/api/realtime/bitcoin-addresses/verify")
        .header("Origin", "https://app.example")
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type")
        .exchange()
        .expectStatus()
        .isOk()
        .expectHeader()
        .valueEquals("Access-Control-Allow-Origin", "https://app.example");
    http.options()
        .uri("/api/realtime/balances")
        .header("Origin", "https://app.example")
        .header("Access-Control-Request-Method", "POST")
        .exchange()
        .expectStatus()
        .isForbidden();

    JsonNode openApi = json(http.get().uri("/v3/api-docs").exchange(), 200);
    assertThat(openApi.get("paths").get("/api/realtime/bitcoin-addresses/verify").has("post"))
        .isTrue();
  }
}
