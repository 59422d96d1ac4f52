package com.reservebtc.indexer.chain;

import java.util.List;
import java.util.Locale;

/**
 * How a failed JSON-RPC call is handled. Providers word their limits differently (and some reuse
 * one code for two meanings: Infura's -32005 is both "rate limited" and "query returned more than
 * 10000 results"), so the message is read before the code.
 */
public enum RpcErrorKind {
  /** The endpoint wants fewer requests (HTTP 429, -32005 "limit exceeded", ...): back off. */
  RATE_LIMITED,
  /** eth_getLogs asked for too many blocks or results: ask again for a smaller range. */
  RANGE_TOO_LARGE,
  /** The endpoint did not answer properly (connection, timeout, 5xx, garbage): use another. */
  UNAVAILABLE,
  /** The node answered with an error about the request itself. */
  NODE_ERROR;

  /** Fragments of the messages nodes and providers send when an eth_getLogs range is too big. */
  private static final List<String> RANGE_MESSAGES =
      List.of(
          "block range", // "block range is too wide", "exceeds max block range", "limited to a
          // 10000 block range"
          "blocks range",
          "range too",
          "range is too",
          "range exceeds", // "requested range exceeds maximum range limit"
          "range should work", // Alchemy suggests a range that should work
          "exceeds limit of", // "range 1000000 exceeds limit of 10000"
          "too many results",
          "too many logs",
          "too many blocks",
          "response size", // "log response size exceeded", "response size should not greater than"
          "response is too big",
          "response too large",
          "max results",
          "maximum results",
          "results limit",
          "result limit",
          "query timeout exceeded",
          "query exceeds",
          "logs limit",
          "log limit");

  private static final List<String> RATE_MESSAGES =
      List.of(
          "rate limit",
          "rate-limit",
          "ratelimit",
          "too many requests",
          "request limit",
          "requests limit",
          "limit exceeded",
          "exceeded its",
          "compute units",
          "capacity",
          "throughput",
          "daily request",
          "credits",
          "quota");

  /** Classifies a JSON-RPC error object. */
  public static RpcErrorKind ofJsonRpcError(long code, String message) {
    String text = message == null ? "" : message.toLowerCase(Locale.ROOT);
    if (RANGE_MESSAGES.stream().anyMatch(text::contains)
        || (text.contains("more than") && (text.contains("result") || text.contains("log")))
        || (text.contains("range")
            && (text.contains("limit") || text.contains("exceed") || text.contains("max")))) {
      return RANGE_TOO_LARGE;
    }
    if (code == 429
        || code == -32005
        || code == -32007
        || code == -32029
        || code == -32090
        || RATE_MESSAGES.stream().anyMatch(text::contains)) {
      return RATE_LIMITED;
    }
    return NODE_ERROR;
  }

  /** Classifies an HTTP status other than 200. */
  public static RpcErrorKind ofHttpStatus(int status) {
    return status == 429 ? RATE_LIMITED : UNAVAILABLE;
  }
}
