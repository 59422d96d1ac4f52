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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One Esplora source over HTTP: its tip, the hash at a height, an address's totals and its recent
 * confirmed transactions.
 *
 * <p>Guarantees: every answer is validated (hashes are 64 hex digits, amounts non-negative
 * integers); anything else — timeout, refused connection, non-200 status, garbage — is an {@link
 * EsploraException}, never a default value. A 429 is retried after its {@code Retry-After} (capped,
 * a bounded number of times), and the pause applies to every request to this source. Errors and
 * metrics name the source by its alias and the endpoint by its path: the base URL (which may carry
 * an API key or {@code user:pass@}) and response bodies never leave this class. Thread-safe.
 */
final class EsploraSource {

  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern HEIGHT = Pattern.compile("(0|[1-9][0-9]{0,9})");
  private static final int TIP_READ_ATTEMPTS = 3;
  private static final int MAX_HISTORY_PAGES = 400;
  private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

  /** Timer of every HTTP request to a source. */
  static final String REQUEST_TIMER = "rbtc.oracle.esplora.request";

  private final String alias;
  private final URI base;
  private final String authorization;
  private final HttpClient http;
  private final JsonMapper json;
  private final Duration requestTimeout;
  private final int rateLimitRetries;
  private final Duration maxRetryAfter;
  private final AtomicLong pausedUntilNanos = new AtomicLong(System.nanoTime());
  private final MeterRegistry meters;

  EsploraSource(
      String alias,
      URI base,
      HttpClient http,
      JsonMapper json,
      Duration requestTimeout,
      int rateLimitRetries,
      Duration maxRetryAfter,
      MeterRegistry meters) {
    this.alias = Objects.requireNonNull(alias, "alias");
    Objects.requireNonNull(base, "base");
    String userInfo = base.getUserInfo();
    // Credentials in the URL (user:pass@) are sent as HTTP basic authentication, not in the URL.
    this.authorization =
        userInfo == null
            ? null
            : "Basic "
                + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    String text = withoutUserInfo(base).toString();
    this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    this.http = Objects.requireNonNull(http, "http");
    this.json = Objects.requireNonNull(json, "json");
    this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    this.rateLimitRetries = rateLimitRetries;
    this.maxRetryAfter = Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
    this.meters = Objects.requireNonNull(meters, "meters");
  }

  String alias() {
    return alias;
  }

  private static URI withoutUserInfo(URI uri) {
    if (uri.getRawUserInfo() == null) {
      return uri;
    }
    String text = uri.toString();
    int at = text.indexOf('@', text.indexOf("://") + 3);
    return URI.create(uri.getScheme() + "://" + text.substring(at + 1));
  }

  /**
   * The tip, read as hash, height, then the hash at that height again; retried if a block arrived
   * in between.
   */
  BitcoinBlock tip() throws EsploraException {
    for (int attempt = 0; attempt < TIP_READ_ATTEMPTS; attempt++) {
      String hash = requireHash(getText("/blocks/tip/hash", "tip_hash"), "/blocks/tip/hash");
      String heightText = getText("/blocks/tip/height", "tip_height");
      if (!HEIGHT.matcher(heightText).matches()) {
        throw malformed("/blocks/tip/height");
      }
      long height = Long.parseLong(heightText);
      if (hash.equals(hashAt(height))) {
        return new BitcoinBlock(height, hash);
      }
    }
    throw new EsploraException(
        Kind.UNSTABLE_TIP, "source '" + alias + "': the tip kept moving while it was read");
  }

  /** The hash of the block at {@code height} on the source's best chain. */
  String hashAt(long height) throws EsploraException {
    return requireHash(getText("/block-height/" + height, "block_height"), "/block-height/");
  }

  /** The address's confirmed ({@code chain_stats}) and mempool ({@code mempool_stats}) totals. */
  AddressTotals totals(String address) throws EsploraException {
    String path = "/address/" + address;
    JsonNode body = readJson(path, "address");
    JsonNode chain = body.get("chain_stats");
    JsonNode mempool = body.get("mempool_stats");
    if (chain == null || !chain.isObject() || mempool == null || !mempool.isObject()) {
      throw malformed(path);
    }
    return new AddressTotals(
        count(chain, "funded_txo_sum", path),
        count(chain, "spent_txo_sum", path),
        count(chain, "tx_count", path),
        count(mempool, "funded_txo_sum", path),
        count(mempool, "spent_txo_sum", path));
  }

  /**
   * What each confirmed transaction in a block above {@code height} received by and spent from the
   * address, newest first, read page by page from {@code /address/{a}/txs/chain} until a
   * transaction at or below {@code height} appears.
   */
  List<TxEffect> confirmedAbove(String address, long height) throws EsploraException {
    List<TxEffect> effects = new ArrayList<>();
    String lastSeen = null;
    for (int page = 0; page < MAX_HISTORY_PAGES; page++) {
      String path = "/address/" + address + "/txs/chain" + (lastSeen == null ? "" : "/" + lastSeen);
      JsonNode txs = readJson(path, "address_txs_chain");
      if (!txs.isArray()) {
        throw malformed(path);
      }
      if (txs.isEmpty()) {
        return effects;
      }
      for (JsonNode tx : txs) {
        JsonNode status = tx.get("status");
        if (status == null
            || !status.isObject()
            || !status.path("confirmed").isBoolean()
            || !status.path("confirmed").booleanValue()) {
          throw malformed(path);
        }
        long txHeight = count(status, "block_height", path);
        if (txHeight <= height) {
          return effects;
        }
        effects.add(effectOf(address, tx, txHeight, path));
        lastSeen = text(tx, "txid", path);
        if (!HASH.matcher(lastSeen).matches()) {
          throw malformed(path);
        }
      }
    }
    throw new EsploraException(
        Kind.MALFORMED,
        "source '"
            + alias
            + "': more than "
            + MAX_HISTORY_PAGES
            + " pages of history above the confirmation depth for one address");
  }

  private TxEffect effectOf(String address, JsonNode tx, long height, String path)
      throws EsploraException {
    long received = 0;
    long spent = 0;
    JsonNode vout = tx.get("vout");
    JsonNode vin = tx.get("vin");
    if (vout == null || !vout.isArray() || vin == null || !vin.isArray()) {
      throw malformed(path);
    }
    for (JsonNode out : vout) {
      if (address.equals(out.path("scriptpubkey_address").asString(null))) {
        received = add(received, count(out, "value", path), path);
      }
    }
    for (JsonNode in : vin) {
      JsonNode prevout = in.get("prevout");
      if (prevout != null
          && prevout.isObject()
          && address.equals(prevout.path("scriptpubkey_address").asString(null))) {
        spent = add(spent, count(prevout, "value", path), path);
      }
    }
    return new TxEffect(height, received, spent);
  }

  private JsonNode readJson(String path, String endpoint) throws EsploraException {
    String body = getText(path, endpoint);
    try {
      JsonNode node = json.readTree(body);
      if (node == null) {
        throw malformed(path);
      }
      return node;
    } catch (JacksonException e) {
      throw malformed(path);
    }
  }

  private String getText(String path, String endpoint) throws EsploraException {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(requestTimeout)
            .header("Accept", "application/json, text/plain")
            .GET();
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    HttpRequest request = builder.build();
    for (int attempt = 0; ; attempt++) {
      awaitPause();
      long started = System.nanoTime();
      HttpResponse<String> response;
      try {
        response = send(request, path);
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
              "source '"
                  + alias
                  + "': GET "
                  + path
                  + " was rate limited (429, Retry-After "
                  + retryAfter.toSeconds()
                  + " s)");
        }
        pause(retryAfter);
        continue;
      }
      throw new EsploraException(
          Kind.HTTP_STATUS, "source '" + alias + "': GET " + path + " answered " + status);
    }
  }

  private HttpResponse<String> send(HttpRequest request, String path) throws EsploraException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpTimeoutException e) {
      throw new EsploraException(
          Kind.TIMEOUT,
          "source '" + alias + "': GET " + path + " timed out after " + requestTimeout);
    } catch (IOException e) {
      // The exception text may name the host or URL: only its type is kept.
      throw new EsploraException(
          Kind.UNREACHABLE,
          "source '" + alias + "': GET " + path + " failed (" + e.getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EsploraException(
          Kind.UNREACHABLE, "source '" + alias + "': interrupted while calling it");
    }
  }

  /** One HTTP exchange's latency, per source, endpoint and outcome (ok, an HTTP status, error). */
  private void record(String endpoint, String outcome, long startedNanos) {
    Timer.builder(REQUEST_TIMER)
        .description("one HTTP request to an Esplora source")
        .tag("source", alias)
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
      throw new EsploraException(
          Kind.RATE_LIMITED, "source '" + alias + "': interrupted while backing off");
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
      throw malformed(path);
    }
    return text;
  }

  private String text(JsonNode node, String field, String path) throws EsploraException {
    JsonNode value = node.get(field);
    if (value == null || !value.isString()) {
      throw malformed(path);
    }
    return value.asString();
  }

  private long count(JsonNode node, String field, String path) throws EsploraException {
    JsonNode value = node.get(field);
    if (value == null
        || !value.isIntegralNumber()
        || !value.canConvertToLong()
        || value.longValue() < 0) {
      throw malformed(path);
    }
    return value.longValue();
  }

  private long add(long a, long b, String path) throws EsploraException {
    try {
      return Math.addExact(a, b);
    } catch (ArithmeticException overflow) {
      throw malformed(path);
    }
  }

  private EsploraException malformed(String path) {
    return new EsploraException(
        Kind.MALFORMED,
        "source '" + alias + "': GET " + path + " returned a body that is not Esplora's answer");
  }

  /**
   * @param chainFunded sum of confirmed outputs paying the address
   * @param chainSpent sum of those spent by confirmed transactions
   * @param chainTxCount confirmed transactions touching the address
   * @param mempoolFunded sum of mempool outputs paying it
   * @param mempoolSpent sum of its outputs spent by mempool transactions
   */
  record AddressTotals(
      long chainFunded,
      long chainSpent,
      long chainTxCount,
      long mempoolFunded,
      long mempoolSpent) {}

  /**
   * What one confirmed transaction did to the address.
   *
   * @param height its block height
   * @param received sum of its outputs paying the address
   * @param spent sum of the address's outputs it spends
   */
  record TxEffect(long height, long received, long spent) {}
}
