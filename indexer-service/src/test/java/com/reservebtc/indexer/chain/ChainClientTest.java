package com.reservebtc.indexer.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The JSON-RPC adapter against small real HTTP endpoints that answer what providers answer: fields
 * in any order, batches out of order, errors with a null id, rate limits, garbage.
 */
class ChainClientTest {

  private static final String HASH_A = "0x" + "a".repeat(64);
  private static final String HASH_B = "0x" + "b".repeat(64);
  private static final String HASH_C = "0x" + "c".repeat(64);
  private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

  private final List<HttpServer> servers = new ArrayList<>();
  private final List<String> received = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
  }

  @Test
  void readsAResultThatComesBeforeItsId() {
    String url =
        serve(
            body ->
                answer(200, "{\"result\":\"0x2a\",\"jsonrpc\":\"2.0\",\"id\":" + id(body) + "}"));

    assertThat(client(url).headNumber()).isEqualTo(42);
  }

  @Test
  void matchesBatchAnswersByIdWhateverTheirOrder() {
    String url =
        serve(
            body -> {
              List<String> ids = ids(body);
              // Answers reversed: the header of block 2 first.
              return answer(
                  200,
                  "[{\"jsonrpc\":\"2.0\",\"id\":"
                      + ids.get(1)
                      + ",\"result\":"
                      + block(2, HASH_B, HASH_A)
                      + "},{\"jsonrpc\":\"2.0\",\"id\":"
                      + ids.get(0)
                      + ",\"result\":"
                      + block(1, HASH_A, HASH_C)
                      + "}]");
            });

    Map<Long, BlockHeader> headers = client(url).headers(List.of(1L, 2L));

    assertThat(headers).containsOnlyKeys(1L, 2L);
    assertThat(headers.get(1L).isParentOf(headers.get(2L))).isTrue();
  }

  @Test
  void aLogSliceFromAnEndpointWithoutItsLastBlockGoesToTheNextEndpoint() {
    String lagging =
        serve(
            body -> {
              List<String> ids = ids(body);
              return answer(
                  200,
                  "[{\"jsonrpc\":\"2.0\",\"id\":"
                      + ids.get(0)
                      + ",\"result\":null},"
                      + "{\"jsonrpc\":\"2.0\",\"id\":"
                      + ids.get(1)
                      + ",\"result\":"
                      + block(1, HASH_A, HASH_C)
                      + "},"
                      + "{\"jsonrpc\":\"2.0\",\"id\":"
                      + ids.get(2)
                      + ",\"result\":[]}]");
            });
    String synced =
        serve(
            body -> {
              List<String> ids = ids(body);
              return answer(
                  200,
                  "[{\"jsonrpc\":\"2.0\",\"id\":"
                      + ids.get(0)
                      + ",\"result\":"
                      + block(2, HASH_B, HASH_A)
                      + "},"
                      + "{\"jsonrpc\":\"2.0\",\"id\":"
                      + ids.get(1)
                      + ",\"result\":"
                      + block(1, HASH_A, HASH_C)
                      + "},"
                      + "{\"jsonrpc\":\"2.0\",\"id\":"
                      + ids.get(2)
                      + ",\"result\":["
                      + log(2, HASH_B)
                      + "]}]");
            });

    ChainClient.LogSlice slice =
        client(lagging, synced)
            .logSlice(1, 2, List.of(Address.of("0x" + "1".repeat(40))), List.of(HASH_C));

    assertThat(slice.last().hash()).isEqualTo(HASH_B);
    assertThat(slice.logs())
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.blockNumber()).isEqualTo(2);
              assertThat(l.blockTimestamp()).isEqualTo(0x65);
            });
  }

  @Test
  void aRateLimitedEndpointIsLeftForTheNextAndTheRangeErrorReachesTheCaller() {
    AtomicInteger limited = new AtomicInteger();
    String throttled =
        serve(
            body -> {
              limited.incrementAndGet();
              return answer(429, "Too Many Requests");
            });
    String tooWide =
        serve(
            body ->
                answer(
                    200,
                    "{\"jsonrpc\":\"2.0\",\"id\":"
                        + id(body)
                        + ",\"error\":{\"code\":-32005,"
                        + "\"message\":\"query returned more than 10000 results\"}}"));

    assertThatThrownBy(
            () ->
                client(throttled, tooWide)
                    .logs(1, 5000, List.of(Address.of("0x" + "1".repeat(40))), List.of(HASH_C)))
        .isInstanceOf(LogRangeTooLargeException.class)
        .hasMessageContaining("more than 10000 results");
    assertThat(limited.get()).isEqualTo(1);
  }

  @Test
  void givesUpAfterItsRetryBudgetWithTheLastFailureAndNoUrlPath() {
    String broken = serve(body -> answer(200, "<html>not json</html>"));
    ChainClient client =
        new ChainClient(
            List.of(broken + "/v2/secret-key"),
            Duration.ofSeconds(2),
            Duration.ofMillis(300),
            10,
            RpcObserver.NONE);

    assertThatThrownBy(client::headNumber)
        .isInstanceOf(ChainRpcException.class)
        .hasMessageContaining("malformed JSON-RPC")
        .hasMessageNotContaining("secret-key");
    assertThat(received.size()).isGreaterThan(1);
  }

  @Test
  void anErrorAnsweredWithANullIdIsStillClassified() {
    String url =
        serve(
            body ->
                answer(
                    200,
                    "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32601,"
                        + "\"message\":\"the method does not exist\"}}"));

    assertThatThrownBy(() -> client(url).chainId())
        .isInstanceOf(ChainRpcException.class)
        .isNotInstanceOf(LogRangeTooLargeException.class)
        .hasMessageContaining("does not exist");
  }

  @Test
  void anAnswerOfManyBlocksPastTheLogBoundIsRefusedAsTooLargeWhileOneBlockIsReadWhole() {
    String threeLogs =
        serve(
            body ->
                answer(
                    200,
                    "{\"jsonrpc\":\"2.0\",\"id\":"
                        + id(body)
                        + ",\"result\":["
                        + log(2, HASH_B)
                        + ","
                        + log(2, HASH_B)
                        + ","
                        + log(2, HASH_B)
                        + "]}"));
    ChainClient bounded =
        new ChainClient(
            List.of(threeLogs),
            Duration.ofSeconds(2),
            Duration.ofSeconds(5),
            10,
            2,
            1024 * 1024,
            RpcObserver.NONE);
    List<Address> contract = List.of(Address.of("0x" + "1".repeat(40)));

    assertThatThrownBy(() -> bounded.logs(1, 2, contract, List.of(HASH_C)))
        .isInstanceOf(LogRangeTooLargeException.class)
        .hasMessageContaining("passed 2 logs");
    assertThat(bounded.logs(2, 2, contract, List.of(HASH_C))).hasSize(3);
  }

  @Test
  void anAnswerOfManyBlocksPastTheByteBoundIsRefusedAsTooLarge() {
    String big =
        serve(
            body ->
                answer(
                    200,
                    "{\"jsonrpc\":\"2.0\",\"id\":"
                        + id(body)
                        + ",\"result\":["
                        + String.join(",", java.util.Collections.nCopies(20, log(2, HASH_B)))
                        + "]}"));
    ChainClient bounded =
        new ChainClient(
            List.of(big),
            Duration.ofSeconds(2),
            Duration.ofSeconds(5),
            10,
            1_000,
            2_048,
            RpcObserver.NONE);

    assertThatThrownBy(
            () -> bounded.logs(1, 2, List.of(Address.of("0x" + "1".repeat(40))), List.of(HASH_C)))
        .isInstanceOf(LogRangeTooLargeException.class)
        .hasMessageContaining("2048 bytes");
  }

  @Test
  void consecutiveLogsShareRepeatedValuesButKeepTheirOwnWhenTheyDiffer() {
    String upperB = "0x" + "B".repeat(64);
    String otherContract = "0x" + "2".repeat(40);
    String logs =
        serve(
            body ->
                answer(
                    200,
                    "{\"jsonrpc\":\"2.0\",\"id\":"
                        + id(body)
                        + ",\"result\":["
                        + log(2, HASH_B)
                        + ","
                        + log(2, HASH_B)
                        + ","
                        + log(2, upperB)
                        + ","
                        + log(3, HASH_C).replace("1".repeat(40), "2".repeat(40))
                        + "]}"));

    List<RawLog> read =
        client(logs)
            .logs(
                1,
                3,
                List.of(Address.of("0x" + "1".repeat(40)), Address.of(otherContract)),
                List.of(HASH_C));

    assertThat(read).extracting(RawLog::blockHash).containsExactly(HASH_B, HASH_B, HASH_B, HASH_C);
    assertThat(read.get(1).blockHash()).isSameAs(read.get(0).blockHash());
    assertThat(read.get(1).address()).isSameAs(read.get(0).address());
    assertThat(read.get(3).address()).isEqualTo(Address.of(otherContract));
    assertThat(read).extracting(RawLog::blockNumber).containsExactly(2L, 2L, 2L, 3L);
  }

  private ChainClient client(String... urls) {
    return new ChainClient(
        List.of(urls), Duration.ofSeconds(2), Duration.ofSeconds(5), 10, RpcObserver.NONE);
  }

  private record Answer(int status, String body) {}

  private static Answer answer(int status, String body) {
    return new Answer(status, body);
  }

  private String serve(Function<String, Answer> handler) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/",
          exchange -> {
            String body =
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(body);
            Answer answer = handler.apply(body);
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(bytes);
            }
          });
      server.start();
      servers.add(server);
      return "http://127.0.0.1:" + server.getAddress().getPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String id(String body) {
    return ids(body).get(0);
  }

  private static List<String> ids(String body) {
    List<String> ids = new ArrayList<>();
    Matcher m = ID.matcher(body);
    while (m.find()) {
      ids.add(m.group(1));
    }
    return ids;
  }

  private static String block(long number, String hash, String parent) {
    return "{\"number\":\"0x"
        + Long.toHexString(number)
        + "\",\"hash\":\""
        + hash
        + "\",\"parentHash\":\""
        + parent
        + "\",\"timestamp\":\"0x65\",\"transactions\":[]}";
  }

  private static String log(long block, String blockHash) {
    return "{\"address\":\"0x"
        + "1".repeat(40)
        + "\",\"topics\":[\""
        + HASH_C
        + "\"],"
        + "\"data\":\"0x\",\"blockNumber\":\"0x"
        + Long.toHexString(block)
        + "\",\"blockHash\":\""
        + blockHash
        + "\",\"blockTimestamp\":\"0x65\",\"transactionHash\":\""
        + HASH_A
        + "\",\"transactionIndex\":\"0x0\",\"logIndex\":\"0x0\",\"removed\":false}";
  }
}
