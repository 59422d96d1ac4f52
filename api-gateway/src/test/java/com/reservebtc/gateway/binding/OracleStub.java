package com.reservebtc.gateway.binding;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for the oracle-service's {@code POST /api/bindings} (and {@code DELETE
 * /api/bindings/{btc}}, always 200) on a free loopback port, answering as the oracle documents by
 * the Bitcoin address in the request: {@code ...conflict...} 409, {@code ...html...} a non-JSON
 * 502, {@code ...slow...} not before {@link #close}, {@code ...huge...} an oversized body, anything
 * else 201. The real oracle needs a chain and a Bitcoin source to run; its own tests cover its
 * verification, these cover the gateway's forwarding.
 */
public final class OracleStub implements AutoCloseable {

  private final HttpServer server;
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final CountDownLatch released = new CountDownLatch(1);

  public OracleStub() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/api/bindings", this::handle);
    server.start();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The bodies of the requests received so far. */
  public List<String> received() {
    return received;
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    if ("DELETE".equals(exchange.getRequestMethod())) {
      received.add("DELETE " + exchange.getRequestURI().getPath() + " " + body);
      respond(exchange, 200, "application/json", "{\"unbound\":true}");
      return;
    }
    received.add(body);
    if (!"POST".equals(exchange.getRequestMethod())) {
      respond(exchange, 405, "application/json", "{\"error\":\"method_not_allowed\"}");
    } else if (body.contains("conflict")) {
      respond(
          exchange,
          409,
          "application/json",
          "{\"error\":\"btc_address_already_bound\",\"message\":\"bound to another address\"}");
    } else if (body.contains("html")) {
      respond(exchange, 502, "text/html", "<html>bad gateway</html>");
    } else if (body.contains("huge")) {
      respond(exchange, 201, "application/json", "{\"pad\":\"" + "x".repeat(200_000) + "\"}");
    } else if (body.contains("slow")) {
      try {
        released.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
    } else {
      respond(
          exchange,
          201,
          "application/json",
          "{\"ethAddress\":\"0xf45d5feefd7235d9872079d537f5796ba79b1e52\",\"created\":true}");
    }
  }

  private static void respond(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Override
  public void close() {
    released.countDown();
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
