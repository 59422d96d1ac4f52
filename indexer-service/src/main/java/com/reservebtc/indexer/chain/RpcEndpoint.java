package com.reservebtc.indexer.chain;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import tools.jackson.core.JacksonException;

/**
 * One JSON-RPC HTTP endpoint and what it has done lately: the failures since its last success and
 * until when it is avoided (a back-off that doubles per failure, or what HTTP 429 Retry-After asked
 * for). Thread-safe.
 */
final class RpcEndpoint {

  /** Reads an answer body; throws {@link RpcFailure} for JSON-RPC errors. */
  @FunctionalInterface
  interface BodyReader<T> {
    T read(InputStream body) throws RpcFailure, IOException;
  }

  private static final MediaType JSON = MediaType.get("application/json");
  private static final Duration MIN_BACKOFF = Duration.ofMillis(200);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

  private final String url;
  private final String name;
  private final OkHttpClient http;
  private int consecutiveFailures;
  private long coolingUntilNanos;
  private long requests;
  private long failures;
  private String lastFailure;

  RpcEndpoint(String url, OkHttpClient http) {
    this.url = url;
    this.name = displayName(url);
    this.http = http;
  }

  String name() {
    return name;
  }

  /** One POST of {@code body}; the answer goes to {@code reader}. */
  <T> T post(byte[] body, BodyReader<T> reader) throws RpcFailure {
    synchronized (this) {
      requests++;
    }
    Request request = new Request.Builder().url(url).post(RequestBody.create(body, JSON)).build();
    try (Response response = http.newCall(request).execute()) {
      ResponseBody responseBody = response.body();
      if (response.code() != 200) {
        String text = responseBody == null ? "" : abbreviate(responseBody.string());
        throw new RpcFailure(
            RpcErrorKind.ofHttpStatus(response.code()),
            name + " answered HTTP " + response.code() + (text.isEmpty() ? "" : ": " + text),
            retryAfter(response.header("Retry-After")),
            null);
      }
      if (responseBody == null) {
        throw new RpcFailure(RpcErrorKind.UNAVAILABLE, name + " answered without a body");
      }
      return reader.read(responseBody.byteStream());
    } catch (InterruptedIOException e) {
      throw new RpcFailure(
          RpcErrorKind.UNAVAILABLE, name + " timed out: " + e.getMessage(), null, e);
    } catch (IOException e) {
      throw new RpcFailure(RpcErrorKind.UNAVAILABLE, name + " failed: " + e, null, e);
    } catch (JacksonException e) {
      throw new RpcFailure(
          RpcErrorKind.UNAVAILABLE,
          name + " answered malformed JSON-RPC: " + e.getOriginalMessage(),
          null,
          e);
    }
  }

  synchronized void succeeded() {
    consecutiveFailures = 0;
    coolingUntilNanos = 0;
  }

  /** Records a failure and how long to avoid this endpoint because of it. */
  synchronized void failed(RpcFailure failure) {
    failures++;
    lastFailure = failure.getMessage();
    if (failure.kind() == RpcErrorKind.RANGE_TOO_LARGE) {
      return;
    }
    consecutiveFailures++;
    long backoff =
        Math.min(
            MAX_BACKOFF.toNanos(), MIN_BACKOFF.toNanos() << Math.min(consecutiveFailures - 1, 20));
    // Jitter keeps several indexers (or fetch threads) from retrying in lockstep.
    backoff += ThreadLocalRandom.current().nextLong(backoff / 5 + 1);
    if (failure.retryAfter() != null) {
      backoff =
          Math.max(backoff, Math.min(failure.retryAfter().toNanos(), MAX_RETRY_AFTER.toNanos()));
    }
    coolingUntilNanos = System.nanoTime() + backoff;
  }

  /** Nanoseconds until this endpoint should be used again; 0 if now. */
  synchronized long coolingNanos(long now) {
    return Math.max(0, coolingUntilNanos - now);
  }

  synchronized EndpointStatus status(boolean preferred) {
    return new EndpointStatus(
        name,
        preferred,
        coolingNanos(System.nanoTime()) / 1_000_000,
        consecutiveFailures,
        requests,
        failures,
        lastFailure);
  }

  /** Scheme, host and port only: the path or query of a provider URL often is an API key. */
  static String displayName(String url) {
    try {
      URI uri = URI.create(url);
      if (uri.getHost() == null) {
        return "(unparseable RPC URL)";
      }
      String rawPath = uri.getRawPath();
      String path = rawPath == null || rawPath.isEmpty() || rawPath.equals("/") ? "" : "/…";
      return uri.getScheme()
          + "://"
          + uri.getHost()
          + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
          + path;
    } catch (IllegalArgumentException e) {
      return "(unparseable RPC URL)";
    }
  }

  private static Duration retryAfter(String header) {
    if (header == null) {
      return null;
    }
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim())));
    } catch (NumberFormatException e) {
      // An HTTP date: the exponential back-off is a fine approximation.
      return null;
    }
  }

  private static String abbreviate(String text) {
    String oneLine = text.replaceAll("\\s+", " ").trim();
    return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "…";
  }
}
