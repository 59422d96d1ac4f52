package com.reservebtc.devstack.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * How far the indexer has published, from its {@code GET /status} ({@code indexedBlock}, {@code
 * indexedBlockHash}). An indexer that does not answer (killed, restarting) reads as unknown.
 */
final class IndexerWatch implements FlipFlop.Observer {

  /** The indexer's published tip. */
  record Tip(long number, String hash) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration POLL = Duration.ofMillis(100);

  private final Supplier<String> baseUrl;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /**
   * @param baseUrl the indexer's current base URL (it keeps its port across restarts)
   */
  IndexerWatch(Supplier<String> baseUrl) {
    this.baseUrl = baseUrl;
  }

  Optional<Tip> tip() {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(baseUrl.get() + "/status"))
                  .timeout(Duration.ofSeconds(5))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return Optional.empty();
      }
      JsonNode status = JSON.readTree(response.body());
      String hash = status.path("indexedBlockHash").asString(null);
      return hash == null
          ? Optional.empty()
          : Optional.of(new Tip(status.path("indexedBlock").asLong(), hash));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChaosException("interrupted while reading the indexer's status", e);
    }
  }

  /** Waits until the indexer's published tip is the block with this hash; false on timeout. */
  @Override
  public boolean awaitTip(String blockHash, Duration timeout) {
    return await(timeout, () -> tip().map(t -> t.hash().equalsIgnoreCase(blockHash)).orElse(false));
  }

  /** Waits until the indexer has published at least up to {@code number}; false on timeout. */
  boolean awaitAtLeast(long number, Duration timeout) {
    return await(timeout, () -> tip().map(t -> t.number() >= number).orElse(false));
  }

  private static boolean await(Duration timeout, Supplier<Boolean> condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.get()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Pause.of(POLL);
    }
    return true;
  }
}
