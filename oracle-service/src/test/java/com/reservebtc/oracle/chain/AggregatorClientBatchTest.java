package com.reservebtc.oracle.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Batched {@code lastSats} reads against a JSON-RPC endpoint on loopback that behaves in ways a
 * local Anvil never does: answers out of order, refuses batches, leaves answers out. (Anvil itself
 * answers the batches in OracleSyncIT and the benchmark.)
 */
class AggregatorClientBatchTest {

  private static final String AGGREGATOR = "0x" + "a".repeat(40);
  private static final String COMMITTEE = "0x" + "c".repeat(40);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
  private volatile UnaryOperator<ArrayNode> answer = UnaryOperator.identity();
  private volatile String rawAnswer;
  private final HttpServer server = start();
  private final Web3j web3j =
      Web3j.build(new HttpService("http://127.0.0.1:" + server.getAddress().getPort()));

  @AfterEach
  void stop() {
    web3j.shutdown();
    server.stop(0);
  }

  @Test
  void readsEveryUserInBatchesOfTheConfiguredSize() throws Exception {
    List<String> users = users(5);
    Map<String, Long> sats = client(2).lastSats(users);

    assertThat(sats).containsOnlyKeys(users);
    users.forEach(u -> assertThat(sats.get(u)).isEqualTo(balanceOf(u)));
    assertThat(new ArrayList<>(sats.keySet())).containsExactlyElementsOf(users);
    assertThat(batchSizes).containsExactly(2, 2, 1);
  }

  @Test
  void matchesAnswersByIdWhenTheEndpointReordersThem() throws Exception {
    answer =
        batch -> {
          List<JsonNode> reversed = new ArrayList<>();
          batch.forEach(reversed::add);
          Collections.reverse(reversed);
          ArrayNode out = JSON.createArrayNode();
          reversed.forEach(out::add);
          return out;
        };
    List<String> users = users(4);
    Map<String, Long> sats = client(200).lastSats(users);
    users.forEach(u -> assertThat(sats.get(u)).isEqualTo(balanceOf(u)));
    assertThat(batchSizes).containsExactly(4);
  }

  @Test
  void sendsReadsOneByOneWhenBatchingIsOff() throws Exception {
    List<String> users = users(3);
    Map<String, Long> sats = client(1).lastSats(users);
    users.forEach(u -> assertThat(sats.get(u)).isEqualTo(balanceOf(u)));
    // -1: a plain JSON-RPC object, no batch array.
    assertThat(batchSizes).containsExactly(-1, -1, -1);
  }

  @Test
  void failsTheWholeReadInsteadOfGuessingABalance() {
    List<String> users = users(3);

    answer =
        batch -> {
          ((ObjectNode) batch.get(1)).remove("result");
          ((ObjectNode) batch.get(1))
              .set(
                  "error",
                  JSON.createObjectNode().put("code", -32000).put("message", "header not found"));
          return batch;
        };
    assertUnavailable(users, "header not found");

    answer =
        batch -> {
          batch.remove(2);
          return batch;
        };
    assertUnavailable(users, "no answer for " + users.get(2));

    answer =
        batch -> {
          ((ObjectNode) batch.get(0)).put("result", "0x");
          return batch;
        };
    assertUnavailable(users, "returned no uint64");

    answer = UnaryOperator.identity();
    rawAnswer =
        "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,\"message\":\"batch requests"
            + " are not supported\"}}";
    assertUnavailable(users, "batch of 3 lastSats reads failed");
  }

  private void assertUnavailable(List<String> users, String message) {
    assertThatThrownBy(() -> client(200).lastSats(users))
        .isInstanceOfSatisfying(
            ChainException.class,
            e -> assertThat(e.kind()).isEqualTo(ChainException.Kind.UNAVAILABLE))
        .hasMessageContaining(message);
  }

  private AggregatorClient client(int batchSize) {
    return new AggregatorClient(web3j, 31337, AGGREGATOR, COMMITTEE, batchSize);
  }

  private static List<String> users(int n) {
    List<String> users = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      users.add(String.format(Locale.ROOT, "0x%040x", 0x1000 + i));
    }
    return users;
  }

  /** Each user's balance on this endpoint: distinct per user, above 2^32 to catch truncation. */
  private static long balanceOf(String user) {
    return (1L << 33) + Long.parseLong(user.substring(user.length() - 4), 16);
  }

  /** Answers eth_call of lastSats(user) with {@link #balanceOf}, single or batched. */
  private HttpServer start() {
    try {
      HttpServer http =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      http.createContext(
          "/",
          exchange -> {
            JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
            String body;
            if (request.isArray()) {
              batchSizes.add(request.size());
              ArrayNode answers = JSON.createArrayNode();
              request.forEach(r -> answers.add(answerTo(r)));
              body = rawAnswer != null ? rawAnswer : JSON.writeValueAsString(answer.apply(answers));
            } else {
              batchSizes.add(-1);
              body = JSON.writeValueAsString(answerTo(request));
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (var out = exchange.getResponseBody()) {
              out.write(bytes);
            }
          });
      http.start();
      return http;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode answerTo(JsonNode request) {
    assertThat(request.get("method").asString()).isEqualTo("eth_call");
    JsonNode call = request.get("params").get(0);
    assertThat(call.get("to").asString()).isEqualTo(AGGREGATOR);
    String data = call.has("data") ? call.get("data").asString() : call.get("input").asString();
    String user = "0x" + data.substring(data.length() - 40);
    return JSON.createObjectNode()
        .put("jsonrpc", "2.0")
        .put("id", request.get("id").asLong())
        .put("result", String.format(Locale.ROOT, "0x%064x", balanceOf(user)));
  }
}
