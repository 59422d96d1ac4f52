package com.reservebtc.oracle.bitcoin;

import com.reservebtc.oracle.bitcoin.EsploraException.Kind;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One Esplora source over HTTP: the chain tip, and the confirmed balance of an address from its
 * unspent outputs.
 *
 * <p>Guarantees: every answer is validated (hashes are 64 hex digits, amounts non-negative
 * integers); anything else — timeout, refused connection, non-200 status, garbage — is an {@link
 * EsploraException}, never a default value. A 429 is retried after its {@code Retry-After} (capped,
 * a bounded number of times), and the pause applies to every request to this source. The balance
 * counts unspent outputs with at least N confirmations at the given tip ({@code confirmations = tip
 * - block_height + 1}); an output already spent by a mempool transaction no longer counts, which
 * errs on the side of not minting. Thread-safe.
 */
final class EsploraClient {

  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern HEIGHT = Pattern.compile("(0|[1-9][0-9]{0,9})");
  private static final int TIP_READ_ATTEMPTS = 3;
  private static final int ERROR_BODY_PREVIEW = 200;
  private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

  /** Timer of every HTTP request to a source. */
  static final String REQUEST_TIMER = "rbtc.oracle.esplora.request";

  private final URI base;
  private final HttpClient http;
  private final JsonMapper json;
  private final Duration requestTimeout;
  private final int rateLimitRetries;
  private final Duration maxRetryAfter;
  private final AtomicLong pausedUntilNanos = new AtomicLong(System.nanoTime());
  private final MeterRegistry meters;

  EsploraClient(
      URI base,
      HttpClient http,
      JsonMapper json,
      Duration requestTimeout,
      int rateLimitRetries,
      Duration maxRetryAfter,
      MeterRegistry meters) {
    String text = Objects.requireNonNull(base, "base").toString();
    this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    this.http = Objects.requireNonNull(http, "http");
    this.json = Objects.requireNonNull(json, "json");
    this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    this.rateLimitRetries = rateLimitRetries;
    this.maxRetryAfter = Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
    this.meters = Objects.requireNonNull(meters, "meters");
  }

  /** The source's name in observations and logs: its base URL. */
  String name() {
    return base.toString();
  }

  /**
   * The tip, read as hash, height, then the hash at that height again; retried if a block arrived
   * in between.
   */
  ChainTip tip() throws EsploraException {
    for (int attempt = 0; attempt < TIP_READ_ATTEMPTS; attempt++) {
      String hash = requireHash(getText("/blocks/tip/hash", "tip_hash"), "/blocks/tip/hash");
      String heightText = getText("/blocks/tip/height", "tip_height");
      if (!HEIGHT.matcher(heightText).matches()) {
        throw malformed("/blocks/tip/height", heightText);
      }
      long height = Long.parseLong(heightText);
      String hashAtHeight =
          requireHash(getText("/block-height/" + height, "block_height"), "/block-height/");
      if (hash.equals(hashAtHeight)) {
        return new ChainTip(height, hash);
      }
    }
    throw new EsploraException(
        Kind.UNSTABLE_TIP, name() + ": the tip kept moving while it was read");
  }

  /**
   * The sum of the address's unspent outputs that have at least {@code minConfirmations}
   * confirmations at {@code tip}. Outputs in blocks above the tip (a block that arrived after the
   * tip was read) do not count.
   */
  long confirmedSats(String address, ChainTip tip, int minConfirmations) throws EsploraException {
    String path = "/address/" + address + "/utxo";
    String body = getText(path, "address_utxo");
    JsonNode utxos;
    try {
      utxos = json.readTree(body);
    } catch (JacksonException e) {
      throw malformed(path, body);
    }
    if (utxos == null || !utxos.isArray()) {
      throw malformed(path, body);
    }
    long total = 0;
    for (JsonNode utxo : utxos) {
      long value = requireNonNegativeLong(utxo.get("value"), path, body);
      JsonNode status = utxo.get("status");
      if (status == null || !status.isObject()) {
        throw malformed(path, body);
      }
      JsonNode confirmed = status.get("confirmed");
      if (confirmed == null || !confirmed.isBoolean()) {
        throw malformed(path, body);
      }
      if (!confirmed.booleanValue()) {
        continue;
      }
      long blockHeight = requireNonNegativeLong(status.get("block_height"), path, body);
      if (blockHeight > tip.height()) {
        continue;
      }
      long confirmations = tip.height() - blockHeight + 1;
      if (confirmations >= minConfirmations) {
        try {
          total = Math.addExact(total, value);
        } catch (ArithmeticException overflow) {
          throw malformed(path, "sum of outputs overflows");
        }
      }
    }
    return total;
  }

  private String getText(String path, String endpoint) throws EsploraException {
    URI uri = URI.create(base + path);
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(requestTimeout)
            .header("Accept", "application/json, text/plain")
            .GET()
            .build();
    for (int attempt = 0; ; attempt++) {
      awaitPause();
      long started = System.nanoTime();
      HttpResponse<String> response;
      try {
        response = send(request);
      } catch (EsploraException e) {
        record(endpoint, "error", started);
        throw e;
      }
      int status = response.statusCode();
      record(endpoint, status == 200 ? "ok" : String.valueOf(status), started);
      if (status == 200) {
        return response.body().trim();
      }
      if (status == 429) {
        Duration retryAfter = retryAfter(response);
        if (attempt >= rateLimitRetries || retryAfter.compareTo(maxRetryAfter) > 0) {
          throw new EsploraException(
              Kind.RATE_LIMITED,
              "GET "
                  + uri
                  + " was rate limited (429, Retry-After "
                  + retryAfter.toSeconds()
                  + " s)");
        }
        pause(retryAfter);
        continue;
      }
      throw new EsploraException(
          Kind.HTTP_STATUS, "GET " + uri + " answered " + status + ": " + preview(response.body()));
    }
  }

  private HttpResponse<String> send(HttpRequest request) throws EsploraException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpTimeoutException e) {
      throw new EsploraException(
          Kind.TIMEOUT, "GET " + request.uri() + " timed out after " + requestTimeout, e);
    } catch (IOException e) {
      throw new EsploraException(Kind.UNREACHABLE, "GET " + request.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EsploraException(Kind.UNREACHABLE, "interrupted while calling " + name(), e);
    }
  }

  /** One HTTP exchange's latency, per source, endpoint and outcome (ok, an HTTP status, error). */
  private void record(String endpoint, String outcome, long startedNanos) {
    Timer.builder(REQUEST_TIMER)
        .description("one HTTP request to an Esplora source")
        .tag("source", name())
        .tag("endpoint", endpoint)
        .tag("outcome", outcome)
        .publishPercentileHistogram()
        .register(meters)
        .record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
  }

  private void pause(Duration duration) {
    long until = System.nanoTime() + duration.toNanos();
    pausedUntilNanos.accumulateAndGet(until, Math::max);
  }

  private void awaitPause() throws EsploraException {
    long waitNanos = pausedUntilNanos.get() - System.nanoTime();
    if (waitNanos <= 0) {
      return;
    }
    try {
      // Honouring the source's Retry-After is the point: every caller of this source waits.
      Thread.sleep(Duration.ofNanos(waitNanos).toMillis() + 1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EsploraException(Kind.RATE_LIMITED, "interrupted while backing off " + name(), e);
    }
  }

  private static Duration retryAfter(HttpResponse<?> response) {
    OptionalLong seconds =
        response
            .headers()
            .firstValue("Retry-After")
            .filter(v -> v.trim().matches("[0-9]{1,6}"))
            .map(v -> OptionalLong.of(Long.parseLong(v.trim())))
            .orElse(OptionalLong.empty());
    return seconds.isPresent() ? Duration.ofSeconds(seconds.getAsLong()) : DEFAULT_RETRY_AFTER;
  }

  private String requireHash(String text, String path) throws EsploraException {
    if (!HASH.matcher(text).matches()) {
      throw malformed(path, text);
    }
    return text;
  }

  private long requireNonNegativeLong(JsonNode node, String path, String body)
      throws EsploraException {
    if (node == null
        || !node.isIntegralNumber()
        || !node.canConvertToLong()
        || node.longValue() < 0) {
      throw malformed(path, body);
    }
    return node.longValue();
  }

  private EsploraException malformed(String path, String body) {
    return new EsploraException(
        Kind.MALFORMED, "GET " + base + path + " returned an unexpected body: " + preview(body));
  }

  private static String preview(String body) {
    String oneLine = body == null ? "" : body.replaceAll("\\s+", " ").trim();
    return oneLine.length() <= ERROR_BODY_PREVIEW
        ? "'" + oneLine + "'"
        : "'" + oneLine.substring(0, ERROR_BODY_PREVIEW) + "…'";
  }
}
