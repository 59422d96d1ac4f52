package com.reservebtc.gateway.cache;

import com.reservebtc.gateway.GatewayProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * A short-lived cache of read-model results, grouped by the address they describe ({@link #GLOBAL}
 * for system-wide aggregates), so the read API answers repeated requests without a database round
 * trip.
 *
 * <p>Guarantees, for writes it is told about: a writer calls {@link #beginWrite} before its
 * database commit and {@link #endWrite} after it; in between, reads of the written addresses (and
 * of {@link #GLOBAL}) bypass the cache, and both calls drop their entries. So a read that starts
 * after the commit never sees a result from before it, and a load that overlapped a write is not
 * stored (see {@link #get}). Every entry expires after {@code rbtc.gateway.cache.ttl}; at most
 * {@code max-addresses} addresses hold entries, and at most {@link #MAX_ENTRIES_PER_ADDRESS} per
 * address, beyond which results are simply not cached. Writes of another gateway instance to the
 * same database are dropped from here when this instance's stream relay hands on their stream
 * events (shortly after their commit, not before it); changes that carry no stream event are
 * bounded by the TTL only.
 */
@Component
public final class ReadCache {

  /** The group of results that do not belong to one address (totals, counts). */
  public static final String GLOBAL = "*";

  /** Passed to {@link #beginWrite} / {@link #endWrite} for a write that may touch any address. */
  public static final String ALL = "**";

  /** Entries one address may hold; pages of /transactions beyond it are not cached. */
  static final int MAX_ENTRIES_PER_ADDRESS = 16;

  private record Entry(Object value, long expiresAt) {}

  private final Map<String, Map<String, Entry>> byAddress = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();
  private final Map<String, Integer> writing = new ConcurrentHashMap<>();
  private final long ttlNanos;
  private final int maxAddresses;
  private final LongSupplier nanoTime;
  private final Counter hits;
  private final Counter misses;

  @Autowired
  public ReadCache(GatewayProperties properties, MeterRegistry meters) {
    this(
        properties.cache().ttl().toNanos(),
        properties.cache().maxAddresses(),
        System::nanoTime,
        meters);
  }

  ReadCache(long ttlNanos, int maxAddresses, LongSupplier nanoTime, MeterRegistry meters) {
    this.ttlNanos = ttlNanos;
    this.maxAddresses = maxAddresses;
    this.nanoTime = nanoTime;
    this.hits = counter(meters, "hit");
    this.misses = counter(meters, "miss");
    Gauge.builder("rbtc.gateway.cache.addresses", byAddress, Map::size)
        .description("Addresses with cached read-model results")
        .register(meters);
  }

  private static Counter counter(MeterRegistry meters, String result) {
    return Counter.builder("rbtc.gateway.cache.requests")
        .description("Cached read-model lookups by result")
        .tag("result", result)
        .register(meters);
  }

  /**
   * The cached value of {@code key} for {@code address}, or the value {@code loader} emits (stored
   * for the TTL). A loader that completes empty or fails is not cached.
   *
   * <p>A load that overlaps an invalidation of any address is not kept: the generation is read
   * before the load and checked after the store, and invalidations bump it before removing entries.
   */
  @SuppressWarnings("unchecked")
  public <T> Mono<T> get(String address, String key, Supplier<Mono<T>> loader) {
    if (ttlNanos <= 0) {
      return loader.get();
    }
    return Mono.defer(
        () -> {
          if (!writing.isEmpty()
              && (address.equals(GLOBAL)
                  || writing.containsKey(address)
                  || writing.containsKey(ALL))) {
            // a commit concerning this address is in progress: read through, store nothing
            misses.increment();
            return loader.get();
          }
          long now = nanoTime.getAsLong();
          Map<String, Entry> entries = byAddress.get(address);
          Entry cached = entries == null ? null : entries.get(key);
          if (cached != null && cached.expiresAt() - now > 0) {
            hits.increment();
            return Mono.just((T) cached.value());
          }
          misses.increment();
          long loadedIn = generation.get();
          return loader.get().doOnNext(value -> store(address, key, value, loadedIn));
        });
  }

  private void store(String address, String key, Object value, long loadedIn) {
    Map<String, Entry> entries = byAddress.get(address);
    if (entries == null) {
      if (byAddress.size() >= maxAddresses) {
        return;
      }
      entries = byAddress.computeIfAbsent(address, a -> new ConcurrentHashMap<>());
    }
    if (entries.size() >= MAX_ENTRIES_PER_ADDRESS && !entries.containsKey(key)) {
      return;
    }
    Entry entry = new Entry(value, nanoTime.getAsLong() + ttlNanos);
    entries.put(key, entry);
    if (generation.get() != loadedIn) {
      // an invalidation ran during the load: the value may predate it
      entries.remove(key, entry);
    }
  }

  /**
   * Announces a write of {@code addresses} ({@link #ALL} for any): until the matching {@link
   * #endWrite}, their reads and those of {@link #GLOBAL} bypass the cache. Call before the commit.
   */
  public void beginWrite(Collection<String> addresses) {
    for (String address : addresses) {
      writing.merge(address, 1, Integer::sum);
    }
    drop(addresses);
  }

  /** Ends a write announced by {@link #beginWrite}; call after the commit (or rollback). */
  public void endWrite(Collection<String> addresses) {
    for (String address : addresses) {
      writing.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }
    drop(addresses);
  }

  /**
   * Drops the cached results of {@code addresses} and of {@link #GLOBAL} (a write already done).
   */
  public void invalidate(Collection<String> addresses) {
    drop(addresses);
  }

  /** Drops every cached result. */
  public void invalidateAll() {
    drop(List.of(ALL));
  }

  private void drop(Collection<String> addresses) {
    // bumped first: a load that started before this drop is then never stored after it
    generation.incrementAndGet();
    if (addresses.contains(ALL)) {
      byAddress.clear();
      return;
    }
    for (String address : addresses) {
      byAddress.remove(address);
    }
    byAddress.remove(GLOBAL);
  }

  /** Removes expired entries, so idle addresses do not keep memory until they are read again. */
  @Scheduled(fixedDelay = 10, timeUnit = TimeUnit.SECONDS)
  void evictExpired() {
    long now = nanoTime.getAsLong();
    byAddress
        .values()
        .removeIf(
            entries -> {
              entries.values().removeIf(e -> e.expiresAt() - now <= 0);
              return entries.isEmpty();
            });
  }

  /** Addresses (including {@link #GLOBAL}) that hold entries. */
  int addresses() {
    return byAddress.size();
  }
}
