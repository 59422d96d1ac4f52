package com.reservebtc.gateway.ratelimit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the open event streams per client and in total, and refuses a stream beyond either cap. A
 * client's entry exists only while it has a stream open, so memory is bounded by the total cap.
 */
final class StreamSlots {

  /** Why a stream was refused; {@link #GRANTED} if it was not. */
  enum Result {
    GRANTED,
    CLIENT_LIMIT,
    SERVER_LIMIT
  }

  private final Map<String, Integer> open = new ConcurrentHashMap<>();
  private final AtomicInteger total = new AtomicInteger();
  private final int perClient;
  private final int max;

  StreamSlots(int perClient, int max) {
    this.perClient = perClient;
    this.max = max;
  }

  /** Takes a slot for {@code client}; on {@link Result#GRANTED} it must be released once. */
  Result tryAcquire(String client) {
    if (total.incrementAndGet() > max) {
      total.decrementAndGet();
      return Result.SERVER_LIMIT;
    }
    boolean[] granted = {false};
    open.compute(
        client,
        (c, n) -> {
          int current = n == null ? 0 : n;
          if (current >= perClient) {
            return n;
          }
          granted[0] = true;
          return current + 1;
        });
    if (!granted[0]) {
      total.decrementAndGet();
      return Result.CLIENT_LIMIT;
    }
    return Result.GRANTED;
  }

  void release(String client) {
    open.computeIfPresent(client, (c, n) -> n <= 1 ? null : n - 1);
    total.decrementAndGet();
  }

  int open() {
    return total.get();
  }

  int openBy(String client) {
    return open.getOrDefault(client, 0);
  }
}
