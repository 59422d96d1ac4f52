package com.reservebtc.devstack.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The Esplora simulator's development controls over HTTP: {@code /dev/fund} (a faucet payment into
 * the mempool), {@code /dev/spend} (confirmed coins to the sink) and {@code /dev/mine}.
 */
final class BitcoinControl {

  private final String baseUrl;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  BitcoinControl(String baseUrl) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }

  void fund(String address, long sats) {
    post("/dev/fund", "{\"address\":\"" + address + "\",\"sats\":" + sats + "}");
  }

  /** False when the address has too few confirmed coins (the simulator refuses). */
  boolean spend(String address, long sats) {
    return post("/dev/spend", "{\"address\":\"" + address + "\",\"sats\":" + sats + "}") / 100 == 2;
  }

  void mine() {
    post("/dev/mine", "{\"blocks\":1}");
  }

  private int post(String path, String body) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(baseUrl + path))
                  .timeout(Duration.ofSeconds(10))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2 && !path.equals("/dev/spend")) {
        throw new ChaosException(
            path + " answered " + response.statusCode() + ": " + response.body());
      }
      return response.statusCode();
    } catch (IOException e) {
      throw new ChaosException(path + " on the Esplora simulator failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChaosException("interrupted", e);
    }
  }
}
