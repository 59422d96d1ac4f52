package com.reservebtc.gateway.ratelimit;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A token bucket of one client, kept as its equivalent "generic cell rate" form: a single
 * theoretical arrival time per client, updated lock-free. A bucket admits {@code burst} requests at
 * once and then one every {@code interval}; it is full again (and indistinguishable from a new
 * bucket) once it has been idle long enough, which is when it may be dropped.
 */
final class TokenBucket {

  private final long intervalNanos;
  private final long toleranceNanos;
  private final AtomicLong theoreticalArrival;

  /**
   * @param intervalNanos nanoseconds per token (1 s / rate)
   * @param burst bucket capacity, at least 1
   * @param now the current {@link System#nanoTime()}
   */
  TokenBucket(long intervalNanos, int burst, long now) {
    this.intervalNanos = intervalNanos;
    this.toleranceNanos = intervalNanos * (burst - 1L);
    this.theoreticalArrival = new AtomicLong(now);
  }

  /** Takes a token: 0 if one was available, else the nanoseconds until one will be. */
  long tryAcquire(long now) {
    while (true) {
      long tat = theoreticalArrival.get();
      long base = tat - now > 0 ? tat : now;
      long wait = base - toleranceNanos - now;
      if (wait > 0) {
        return wait;
      }
      if (theoreticalArrival.compareAndSet(tat, base + intervalNanos)) {
        return 0;
      }
    }
  }

  /** Whether the bucket is full, i.e. the client has been idle long enough to forget it. */
  boolean full(long now) {
    return theoreticalArrival.get() - now <= 0;
  }
}
