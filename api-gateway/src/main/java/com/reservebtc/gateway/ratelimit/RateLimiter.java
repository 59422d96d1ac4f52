package com.reservebtc.gateway.ratelimit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One token bucket per client, in bounded memory: buckets that are full again (their client has
 * been idle for at least burst / rate seconds) are dropped by {@link #evictIdle}, which loses
 * nothing because a new bucket starts full. At most {@code maxClients} buckets exist; while the
 * table is full even after evicting idle buckets, new clients share a single overflow bucket, so an
 * address-rotating flood is throttled as one client instead of growing memory.
 */
final class RateLimiter {

  private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);
  private static final long INLINE_EVICTION_PAUSE_NANOS = 1_000_000_000L;

  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
  private final long intervalNanos;
  private final int burst;
  private final int maxClients;
  private final LongSupplier nanoTime;
  private final TokenBucket overflow;
  private final AtomicLong lastInlineEviction;

  RateLimiter(double requestsPerSecond, int burst, int maxClients, LongSupplier nanoTime) {
    this.intervalNanos = Math.max(1, Math.round(1e9 / requestsPerSecond));
    this.burst = burst;
    this.maxClients = maxClients;
    this.nanoTime = nanoTime;
    long now = nanoTime.getAsLong();
    this.overflow = new TokenBucket(intervalNanos, burst, now);
    this.lastInlineEviction = new AtomicLong(now - INLINE_EVICTION_PAUSE_NANOS);
  }

  /** Takes a token of {@code client}: 0 if admitted, else nanoseconds until it would be. */
  long acquire(String client) {
    long now = nanoTime.getAsLong();
    TokenBucket bucket = buckets.get(client);
    if (bucket == null) {
      bucket = newBucket(client, now);
    }
    return bucket.tryAcquire(now);
  }

  private TokenBucket newBucket(String client, long now) {
    if (buckets.size() >= maxClients) {
      long last = lastInlineEviction.get();
      // evict at most once a second inline: a full table under a flood must not cost a scan per
      // request
      if (now - last >= INLINE_EVICTION_PAUSE_NANOS
          && lastInlineEviction.compareAndSet(last, now)) {
        int evicted = evictIdle();
        if (buckets.size() >= maxClients) {
          log.warn(
              "rate limiter tracks {} clients (the maximum) after evicting {} idle ones; new"
                  + " clients share one bucket",
              buckets.size(),
              evicted);
        }
      }
      if (buckets.size() >= maxClients) {
        return overflow;
      }
    }
    return buckets.computeIfAbsent(client, c -> new TokenBucket(intervalNanos, burst, now));
  }

  /** Drops the buckets of idle clients; returns how many. */
  int evictIdle() {
    long now = nanoTime.getAsLong();
    int before = buckets.size();
    buckets.values().removeIf(b -> b.full(now));
    return Math.max(0, before - buckets.size());
  }

  int clients() {
    return buckets.size();
  }
}
