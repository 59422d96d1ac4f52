package com.reservebtc.indexer.chain;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/**
 * Several endpoints of one chain used as one: every call goes to the first endpoint (in configured
 * order) that is not backing off, and moves on to the next on a transport failure, a rate limit or
 * a node error, so a flaky or throttled endpoint slows indexing down but never stops it.
 *
 * <p>Guarantees: a call returns the first proper answer of some endpoint, or throws {@link
 * ChainRpcException} after {@code retryBudget} of trying (waiting out back-offs when every endpoint
 * is backing off), or {@link LogRangeTooLargeException} at once when a node says the range is too
 * large. Does not guarantee that two calls reach the same endpoint: callers compare block hashes.
 * Thread-safe.
 */
final class RpcEndpoints {

  private final List<RpcEndpoint> endpoints;
  private final Duration retryBudget;
  private final RpcObserver observer;
  private volatile RpcEndpoint lastUsed;
  private volatile boolean closed;

  RpcEndpoints(List<String> urls, Duration timeout, Duration retryBudget, RpcObserver observer) {
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("at least one RPC URL is needed");
    }
    OkHttpClient http =
        new OkHttpClient.Builder()
            .connectTimeout(timeout)
            .readTimeout(timeout)
            .writeTimeout(timeout)
            .callTimeout(timeout)
            // Concurrent range fetches keep several connections busy per endpoint.
            .connectionPool(new ConnectionPool(16, 5, TimeUnit.MINUTES))
            .retryOnConnectionFailure(false)
            .build();
    List<RpcEndpoint> all = new ArrayList<>();
    for (String url : urls) {
      all.add(new RpcEndpoint(url, http));
    }
    this.endpoints = List.copyOf(all);
    this.retryBudget = retryBudget;
    this.observer = observer;
    this.lastUsed = endpoints.get(0);
  }

  /** Display names of the endpoints, in preference order. */
  List<String> names() {
    return endpoints.stream().map(RpcEndpoint::name).toList();
  }

  List<EndpointStatus> status() {
    RpcEndpoint current = lastUsed;
    return endpoints.stream().map(e -> e.status(e == current)).toList();
  }

  <T> T call(String method, byte[] body, RpcEndpoint.BodyReader<T> reader) {
    long deadline = System.nanoTime() + retryBudget.toNanos();
    RpcFailure last = null;
    int nodeErrors = 0;
    while (true) {
      if (closed) {
        throw new ChainRpcException(method + ": the RPC client is closed (shutting down)");
      }
      long now = System.nanoTime();
      RpcEndpoint endpoint = pick(now);
      long wait = endpoint.coolingNanos(now);
      if (wait > 0) {
        if (last != null && now + wait > deadline) {
          throw exhausted(method, last);
        }
        pause(wait);
      }
      RpcEndpoint previous = lastUsed;
      if (previous != endpoint) {
        lastUsed = endpoint;
        observer.failover(previous.name(), endpoint.name());
      }
      try {
        T result = endpoint.post(body, reader);
        endpoint.succeeded();
        return result;
      } catch (RpcFailure failure) {
        endpoint.failed(failure);
        observer.failure(endpoint.name(), method, failure.kind());
        if (failure.kind() == RpcErrorKind.RANGE_TOO_LARGE) {
          throw new LogRangeTooLargeException(
              method + ": " + failure.getMessage(), failure.getCause());
        }
        last = failure;
        if (failure.kind() == RpcErrorKind.NODE_ERROR && ++nodeErrors >= endpoints.size()) {
          // Every endpoint rejects the request itself: asking again will not help.
          throw new ChainRpcException(method + ": " + failure.getMessage(), failure);
        }
        if (System.nanoTime() > deadline) {
          throw exhausted(method, failure);
        }
      }
    }
  }

  /**
   * Ends every call's retrying: a call in progress fails at its next attempt or back-off instead of
   * trying until its budget is spent, so a shutdown does not wait for a node that is down.
   */
  void close() {
    closed = true;
  }

  /** The first endpoint not backing off, else the one whose back-off ends first. */
  private RpcEndpoint pick(long now) {
    RpcEndpoint soonest = endpoints.get(0);
    long soonestWait = Long.MAX_VALUE;
    for (RpcEndpoint endpoint : endpoints) {
      long wait = endpoint.coolingNanos(now);
      if (wait == 0) {
        return endpoint;
      }
      if (wait < soonestWait) {
        soonestWait = wait;
        soonest = endpoint;
      }
    }
    return soonest;
  }

  private ChainRpcException exhausted(String method, RpcFailure last) {
    return new ChainRpcException(
        method
            + " failed on every endpoint ("
            + String.join(", ", names())
            + ") for "
            + retryBudget.toSeconds()
            + " s; last: "
            + last.getMessage(),
        last);
  }

  private void pause(long nanos) {
    try {
      // In slices, so that close() is noticed while backing off.
      long end = System.nanoTime() + nanos;
      for (long left = nanos; left > 0 && !closed; left = end - System.nanoTime()) {
        TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChainRpcException("interrupted while backing off", e);
    }
  }
}
