package com.reservebtc.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

class ReadCacheTest {

  private static final long TTL = Duration.ofSeconds(5).toNanos();

  private final AtomicLong clock = new AtomicLong(1_000);
  private final AtomicInteger loads = new AtomicInteger();
  private final ReadCache cache = new ReadCache(TTL, 3, clock::get, new SimpleMeterRegistry());

  private Mono<String> load(String value) {
    return Mono.fromSupplier(
        () -> {
          loads.incrementAndGet();
          return value;
        });
  }

  private String get(String address, String key, String value) {
    return cache.get(address, key, () -> load(value)).block(Duration.ofSeconds(5));
  }

  @Test
  void servesACachedValueUntilItExpires() {
    assertThat(get("0xa", "balances", "v1")).isEqualTo("v1");
    assertThat(get("0xa", "balances", "v2")).isEqualTo("v1");
    assertThat(loads).hasValue(1);
    clock.addAndGet(TTL);
    assertThat(get("0xa", "balances", "v2")).isEqualTo("v2");
    assertThat(loads).hasValue(2);
  }

  @Test
  void invalidatingAnAddressDropsItsEntriesAndTheAggregatesOnly() {
    get("0xa", "balances", "a1");
    get("0xb", "balances", "b1");
    get(ReadCache.GLOBAL, "totals", "t1");

    cache.invalidate(List.of("0xa"));

    assertThat(get("0xa", "balances", "a2")).isEqualTo("a2");
    assertThat(get("0xb", "balances", "b2")).isEqualTo("b1");
    assertThat(get(ReadCache.GLOBAL, "totals", "t2")).isEqualTo("t2");
    cache.invalidateAll();
    assertThat(get("0xb", "balances", "b3")).isEqualTo("b3");
  }

  @Test
  void aLoadThatOverlapsAnInvalidationIsNotKept() {
    Sinks.One<String> slowRead = Sinks.one();
    Mono<String> pending = cache.get("0xa", "balances", slowRead::asMono);
    String[] first = new String[1];
    pending.subscribe(v -> first[0] = v);

    // the projection commits a change while the read is in flight
    cache.invalidate(List.of("0xa"));
    slowRead.tryEmitValue("stale");

    assertThat(first[0]).isEqualTo("stale"); // the request itself is answered
    assertThat(get("0xa", "balances", "fresh")).isEqualTo("fresh"); // but not cached
  }

  @Test
  void duringAWriteReadsOfItsAddressesAndOfTheAggregatesBypassTheCache() {
    get("0xa", "balances", "a1");
    get("0xb", "balances", "b1");
    get(ReadCache.GLOBAL, "totals", "t1");

    cache.beginWrite(List.of("0xa"));
    // the database may already hold the new state: it is read, and not stored
    assertThat(get("0xa", "balances", "a2")).isEqualTo("a2");
    assertThat(get("0xa", "balances", "a3")).isEqualTo("a3");
    assertThat(get(ReadCache.GLOBAL, "totals", "t2")).isEqualTo("t2");
    assertThat(get("0xb", "balances", "b2")).isEqualTo("b1");
    cache.endWrite(List.of("0xa"));

    assertThat(get("0xa", "balances", "a4")).isEqualTo("a4");
    assertThat(get("0xa", "balances", "a5")).isEqualTo("a4");

    cache.beginWrite(List.of(ReadCache.ALL));
    assertThat(get("0xb", "balances", "b3")).isEqualTo("b3");
    cache.endWrite(List.of(ReadCache.ALL));
    assertThat(get("0xb", "balances", "b4")).isEqualTo("b4");
    assertThat(get("0xb", "balances", "b5")).isEqualTo("b4");
  }

  @Test
  void emptyAndFailedLoadsAreNotCached() {
    assertThat(cache.get("0xa", "proof", Mono::<String>empty).block()).isNull();
    assertThat(get("0xa", "proof", "p")).isEqualTo("p");
    assertThat(
            cache
                .get("0xb", "x", () -> Mono.<String>error(new IllegalStateException("db down")))
                .onErrorReturn("failed")
                .block())
        .isEqualTo("failed");
    assertThat(get("0xb", "x", "ok")).isEqualTo("ok");
  }

  @Test
  void boundsTheAddressesAndEntriesItHolds() {
    get("0x1", "k", "1");
    get("0x2", "k", "2");
    get("0x3", "k", "3");
    get("0x4", "k", "4"); // over max-addresses: served, not cached
    assertThat(cache.addresses()).isEqualTo(3);
    assertThat(get("0x4", "k", "4b")).isEqualTo("4b");

    for (int page = 0; page < ReadCache.MAX_ENTRIES_PER_ADDRESS + 5; page++) {
      get("0x1", "transactions:" + page, "p" + page);
    }
    int before = loads.get();
    get("0x1", "transactions:" + (ReadCache.MAX_ENTRIES_PER_ADDRESS + 2), "again");
    assertThat(loads.get()).isEqualTo(before + 1);
  }

  @Test
  void expiredEntriesAreSweptAway() {
    get("0xa", "balances", "a");
    get("0xb", "balances", "b");
    clock.addAndGet(TTL + 1);
    cache.evictExpired();
    assertThat(cache.addresses()).isZero();
  }

  @Test
  void aZeroTtlDisablesCaching() {
    ReadCache off = new ReadCache(0, 10, clock::get, new SimpleMeterRegistry());
    off.get("0xa", "k", () -> load("1")).block();
    off.get("0xa", "k", () -> load("2")).block();
    assertThat(loads).hasValue(2);
  }
}
