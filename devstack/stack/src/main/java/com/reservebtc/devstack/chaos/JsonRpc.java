package com.reservebtc.devstack.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A JSON-RPC 2.0 client for the node's standard and Anvil-specific methods ({@code anvil_*}, {@code
 * evm_*}, {@code txpool_*}), which web3j does not all wrap. Every call returns the node's {@code
 * result} or throws {@link RpcError}; nothing is retried here.
 */
final class JsonRpc {

  /** The node answered with a JSON-RPC error. */
  static final class RpcError extends ChaosException {
    RpcError(String message) {
      super(message);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI url;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final AtomicLong ids = new AtomicLong();

  JsonRpc(String url) {
    this.url = URI.create(url);
  }

  /** Calls {@code method}; params are strings, numbers, booleans, lists or JSON nodes. */
  JsonNode call(String method, Object... params) {
    ObjectNode request = JSON.createObjectNode();
    request.put("jsonrpc", "2.0");
    request.put("id", ids.incrementAndGet());
    request.put("method", method);
    ArrayNode array = request.putArray("params");
    for (Object param : params) {
      array.add(JSON.valueToTree(param));
    }
    HttpRequest http =
        HttpRequest.newBuilder(url)
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request)))
            .build();
    HttpResponse<String> response;
    try {
      response = this.http.send(http, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new ChaosException(method + " on " + url + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChaosException("interrupted during " + method, e);
    }
    JsonNode answer = JSON.readTree(response.body());
    if (answer.has("error")) {
      throw new RpcError(method + " " + List.of(params) + ": " + answer.get("error"));
    }
    if (response.statusCode() != 200 || !answer.has("result")) {
      throw new ChaosException(
          method + " answered HTTP " + response.statusCode() + ": " + response.body());
    }
    return answer.get("result");
  }

  static long quantity(JsonNode hex) {
    return Long.parseLong(hex.asString().substring(2), 16);
  }

  static String hex(long value) {
    return "0x" + Long.toHexString(value);
  }
}
