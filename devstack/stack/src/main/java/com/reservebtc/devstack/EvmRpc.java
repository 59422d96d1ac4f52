package com.reservebtc.devstack;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few JSON-RPC reads the launcher needs (chain id, block number, contract code). Every call
 * either returns the node's answer or throws; an unreachable node is never read as "no code".
 */
final class EvmRpc {

  private static final Pattern RESULT = Pattern.compile("\"result\"\\s*:\\s*\"(0x[0-9a-fA-F]*)\"");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String url;

  EvmRpc(String url) {
    this.url = url;
  }

  long chainId() {
    return new BigInteger(call("eth_chainId", "[]").substring(2), 16).longValueExact();
  }

  long blockNumber() {
    return new BigInteger(call("eth_blockNumber", "[]").substring(2), 16).longValueExact();
  }

  /** Whether the address holds contract code at the latest block. */
  boolean hasCode(String address) {
    String code = call("eth_getCode", "[\"" + address + "\",\"latest\"]");
    return code.length() > 2;
  }

  private String call(String method, String params) {
    String body =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}";
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      Matcher m = RESULT.matcher(response.body());
      if (response.statusCode() != 200 || !m.find()) {
        throw new DevStackException(
            method
                + " on "
                + url
                + " failed: HTTP "
                + response.statusCode()
                + " "
                + response.body());
      }
      return m.group(1);
    } catch (IOException e) {
      throw new DevStackException("cannot reach the EVM node at " + url + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevStackException("interrupted while calling " + url, e);
    }
  }
}
