package com.reservebtc.indexer.chain;

import java.time.Duration;

/**
 * One failed attempt at one endpoint, classified. Internal to the chain adapter: callers see {@link
 * ChainRpcException} or {@link LogRangeTooLargeException}.
 */
final class RpcFailure extends Exception {

  private final RpcErrorKind kind;
  private final Duration retryAfter;

  RpcFailure(RpcErrorKind kind, String message, Duration retryAfter, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.retryAfter = retryAfter;
  }

  RpcFailure(RpcErrorKind kind, String message) {
    this(kind, message, null, null);
  }

  RpcErrorKind kind() {
    return kind;
  }

  /** What the endpoint asked for (HTTP Retry-After), or null. */
  Duration retryAfter() {
    return retryAfter;
  }
}
