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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A load-balanced JSON-RPC endpoint in front of a real node where {@code eth_getLogs} by block
 * range lands on a backend one block behind: the logs of the node's newest block are missing from
 * such answers, while block headers (and {@code eth_getLogs} by block hash) come from an up-to-date
 * backend. Counts the logs it withheld. Listens on 127.0.0.1 on a free port.
 */
final class LaggingLogsProxy implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final HttpClient http = HttpClient.newHttpClient();
  private final JsonMapper json = JsonMapper.builder().build();
  private final URI upstream;
  private final AtomicLong withheld = new AtomicLong();

  LaggingLogsProxy(String upstream) throws IOException {
    this.upstream = URI.create(upstream);
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Logs left out of range answers so far. */
  long withheld() {
    return withheld.get();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    JsonNode request = json.readTree(body);
    boolean rangeLogs = false;
    for (JsonNode call : request.isArray() ? request : json.createArrayNode().add(request)) {
      if ("eth_getLogs".equals(call.path("method").asString())
          && call.path("params").path(0).has("fromBlock")) {
        rangeLogs = true;
      }
    }
    if (!rangeLogs) {
      respond(exchange, forward(new String(body, StandardCharsets.UTF_8)));
      return;
    }
    // The lagging backend's head: one below the node's.
    long lagging =
        Long.decode(
                json.readTree(
                        forward(
                            "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"eth_blockNumber\","
                                + "\"params\":[]}"))
                    .path("result")
                    .asString())
            - 1;
    JsonNode answer = json.readTree(forward(new String(body, StandardCharsets.UTF_8)));
    for (JsonNode response : answer.isArray() ? answer : json.createArrayNode().add(answer)) {
      if (!(response.path("result") instanceof ArrayNode logs)) {
        continue;
      }
      ArrayNode kept = json.createArrayNode();
      for (JsonNode log : logs) {
        if (log.isObject() && Long.decode(log.path("blockNumber").asString()) > lagging) {
          withheld.incrementAndGet();
        } else {
          kept.add(log);
        }
      }
      ((ObjectNode) response).set("result", kept);
    }
    respond(exchange, json.writeValueAsString(answer));
  }

  private String forward(String body) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(upstream)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static void respond(HttpExchange exchange, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
