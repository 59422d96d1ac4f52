package com.reservebtc.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  private static final long SECOND = 1_000_000_000L;

  private final AtomicLong clock = new AtomicLong(123 * SECOND);

  @Test
  void admitsABurstThenOneRequestPerInterval() {
    RateLimiter limiter = new RateLimiter(10, 5, 100, clock::get);
    for (int i = 0; i < 5; i++) {
      assertThat(limiter.acquire("a")).as("request %d of the burst", i).isZero();
    }
    long wait = limiter.acquire("a");
    assertThat(wait).isEqualTo(SECOND / 10);

    clock.addAndGet(SECOND / 10 - 1);
    assertThat(limiter.acquire("a")).isEqualTo(1);
    clock.addAndGet(1);
    assertThat(limiter.acquire("a")).isZero();
    assertThat(limiter.acquire("a")).isPositive();
  }

  @Test
  void clientsHaveSeparateBuckets() {
    RateLimiter limiter = new RateLimiter(1, 1, 100, clock::get);
    assertThat(limiter.acquire("a")).isZero();
    assertThat(limiter.acquire("a")).isPositive();
    assertThat(limiter.acquire("b")).isZero();
  }

  @Test
  void aBucketRefillsToTheBurstButNotBeyond() {
    RateLimiter limiter = new RateLimiter(2, 3, 100, clock::get);
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.acquire("a")).isZero();
    }
    clock.addAndGet(3600 * SECOND);
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.acquire("a")).isZero();
    }
    assertThat(limiter.acquire("a")).isEqualTo(SECOND / 2);
  }

  @Test
  void idleClientsAreEvictedOnceTheirBucketIsFullAgain() {
    RateLimiter limiter = new RateLimiter(10, 5, 100, clock::get);
    limiter.acquire("busy");
    limiter.acquire("idle");
    for (int i = 0; i < 5; i++) {
      limiter.acquire("busy");
    }
    // "idle" took one token: full again after 100 ms; "busy" took all 5: after 500 ms
    clock.addAndGet(SECOND / 10);
    assertThat(limiter.evictIdle()).isEqualTo(1);
    assertThat(limiter.clients()).isEqualTo(1);
    clock.addAndGet(SECOND);
    assertThat(limiter.evictIdle()).isEqualTo(1);
    assertThat(limiter.clients()).isZero();
  }

  @Test
  void whenTheTableIsFullNewClientsShareOneBucket() {
    RateLimiter limiter = new RateLimiter(1, 2, 2, clock::get);
    limiter.acquire("a");
    limiter.acquire("b");
    assertThat(limiter.clients()).isEqualTo(2);

    // a and b are not idle, so nothing can be evicted: c and d share the overflow bucket
    assertThat(limiter.acquire("c")).isZero();
    assertThat(limiter.acquire("d")).isZero();
    assertThat(limiter.acquire("e")).isPositive();
    assertThat(limiter.clients()).isEqualTo(2);

    // once a and b are idle, the next new client gets its own bucket again
    clock.addAndGet(10 * SECOND);
    assertThat(limiter.acquire("f")).isZero();
    assertThat(limiter.clients()).isEqualTo(1);
  }
}
