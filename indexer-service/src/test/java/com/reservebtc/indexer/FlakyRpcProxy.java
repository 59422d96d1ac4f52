package com.reservebtc.indexer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A JSON-RPC endpoint in front of a real node that misbehaves like public providers do: it answers
 * some requests with HTTP 429 (Retry-After 0), HTTP 503, the JSON-RPC limit error {@code -32005
 * limit exceeded}, or only after a delay longer than the client's timeout, and refuses eth_getLogs
 * ranges wider than {@code maxLogBlocks} with Infura's or Alchemy's wording. Everything else is
 * forwarded unchanged. Counts every fault it injects, so a test can prove the faults happened.
 * Listens on 127.0.0.1 on a free port; {@link #close()} stops it.
 */
final class FlakyRpcProxy implements AutoCloseable {

  enum Fault {
    HTTP_429,
    HTTP_503,
    LIMIT_EXCEEDED,
    SLOW,
    RANGE_TOO_LARGE
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final HttpClient http = HttpClient.newHttpClient();
  private final JsonMapper json = JsonMapper.builder().build();
  private final URI upstream;
  private final Duration slowDelay;
  private final long maxLogBlocks;
  private final boolean down;
  private final AtomicLong requests = new AtomicLong();
  private final Map<Fault, AtomicLong> injected = new ConcurrentHashMap<>();

  /**
   * @param down answer every request with HTTP 503 (an endpoint that is simply gone)
   */
  FlakyRpcProxy(String upstream, Duration slowDelay, long maxLogBlocks, boolean down)
      throws IOException {
    this.upstream = URI.create(upstream);
    this.slowDelay = slowDelay;
    this.maxLogBlocks = maxLogBlocks;
    this.down = down;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  long injected(Fault fault) {
    return injected.getOrDefault(fault, new AtomicLong()).get();
  }

  long requests() {
    return requests.get();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    if (!exchange.getRequestMethod().equals("POST")) {
      // No WebSocket here: an upgrade request is refused like by a plain HTTP endpoint.
      respond(exchange, 405, "POST only");
      return;
    }
    long n = requests.incrementAndGet();
    if (down) {
      count(Fault.HTTP_503);
      respond(exchange, 503, "upstream unavailable");
      return;
    }
    JsonNode request = json.readTree(body);
    String rangeError = rangeError(request, n);
    if (rangeError != null) {
      count(Fault.RANGE_TOO_LARGE);
      respond(exchange, 200, errorFor(request, rangeError));
      return;
    }
    if (n % 7 == 0) {
      count(Fault.HTTP_429);
      exchange.getResponseHeaders().add("Retry-After", "0");
      respond(exchange, 429, "{\"error\":\"Too Many Requests\"}");
      return;
    }
    if (n % 11 == 0) {
      count(Fault.LIMIT_EXCEEDED);
      respond(exchange, 200, errorFor(request, "{\"code\":-32005,\"message\":\"limit exceeded\"}"));
      return;
    }
    if (n % 13 == 0) {
      count(Fault.HTTP_503);
      respond(exchange, 503, "<html>Service Unavailable</html>");
      return;
    }
    String answer = forward(body);
    if (n % 17 == 0) {
      count(Fault.SLOW);
      // Answers long after the client gave up; the client must have asked again meanwhile.
      CompletableFuture.runAsync(
          () -> {
            try {
              respond(exchange, 200, answer);
            } catch (IOException clientGone) {
              exchange.close();
            }
          },
          CompletableFuture.delayedExecutor(slowDelay.toMillis(), TimeUnit.MILLISECONDS, executor));
      return;
    }
    respond(exchange, 200, answer);
  }

  /** The provider-style error for an eth_getLogs range wider than allowed, else null. */
  private String rangeError(JsonNode request, long n) {
    for (JsonNode call : request.isArray() ? request : json.createArrayNode().add(request)) {
      if (!"eth_getLogs".equals(call.path("method").asString())) {
        continue;
      }
      JsonNode filter = call.path("params").path(0);
      long from = Long.decode(filter.path("fromBlock").asString());
      long to = Long.decode(filter.path("toBlock").asString());
      if (to - from + 1 > maxLogBlocks) {
        return n % 2 == 0
            ? "{\"code\":-32005,\"message\":\"query returned more than 10000 results\"}"
            : "{\"code\":-32602,\"message\":\"Log response size exceeded. You can make"
                + " eth_getLogs requests with up to a 2K block range and no limit on the response"
                + " size\"}";
      }
    }
    return null;
  }

  /** The error object answered to every call of the request, with the calls' ids. */
  private static String errorFor(JsonNode request, String error) {
    if (!request.isArray()) {
      return "{\"jsonrpc\":\"2.0\",\"id\":" + request.path("id") + ",\"error\":" + error + "}";
    }
    StringBuilder all = new StringBuilder("[");
    for (JsonNode call : request) {
      if (all.length() > 1) {
        all.append(',');
      }
      all.append("{\"jsonrpc\":\"2.0\",\"id\":").append(call.path("id"));
      all.append(",\"error\":").append(error).append('}');
    }
    return all.append(']').toString();
  }

  private String forward(byte[] body) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(upstream)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private void count(Fault fault) {
    injected.computeIfAbsent(fault, f -> new AtomicLong()).incrementAndGet();
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
