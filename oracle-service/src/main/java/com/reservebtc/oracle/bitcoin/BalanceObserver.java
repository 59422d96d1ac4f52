package com.reservebtc.oracle.bitcoin;

import com.reservebtc.oracle.bitcoin.AddressObservation.Disagreement;
import com.reservebtc.oracle.bitcoin.AddressObservation.Failed;
import com.reservebtc.oracle.bitcoin.AddressObservation.Observed;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import tools.jackson.databind.json.JsonMapper;

/**
 * Observes confirmed balances on every configured Esplora source and accepts a balance only when
 * all sources answered and agree.
 *
 * <p>Guarantees: addresses are observed in chunks, each bracketed by a tip read on every source; a
 * balance is {@link Observed} only if every source reported the same tip hash before and after the
 * chunk and the same balance. A chunk during which the tip moved is re-read once, then reported as
 * {@link Failed}. A failing source makes the affected addresses {@link Failed}; differing tips or
 * balances make them {@link Disagreement}. Does not retry across cycles: the caller simply observes
 * again next cycle. Thread-safe; owns a bounded thread pool closed by {@link #close()}.
 */
public final class BalanceObserver implements AutoCloseable {

  static final int CHUNK_SIZE = 200;
  private static final int CHUNK_ATTEMPTS = 2;

  private final List<EsploraClient> sources;
  private final int minConfirmations;
  private final ExecutorService pool;

  /**
   * @param meters receives {@code rbtc.oracle.esplora.request} (latency of every HTTP request, by
   *     source, endpoint and outcome)
   */
  public BalanceObserver(BitcoinProperties properties, JsonMapper json, MeterRegistry meters) {
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(properties.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    List<EsploraClient> clients = new ArrayList<>();
    for (URI url : properties.esploraUrls()) {
      clients.add(
          new EsploraClient(
              url,
              http,
              json,
              properties.requestTimeout(),
              properties.rateLimitRetries(),
              properties.maxRetryAfter(),
              meters));
    }
    this.sources = List.copyOf(clients);
    this.minConfirmations = properties.minConfirmations();
    AtomicInteger threads = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            properties.maxConcurrentRequests(),
            r -> {
              Thread t = new Thread(r, "esplora-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** The names (base URLs) of the sources, in configuration order. */
  public List<String> sourceNames() {
    return sources.stream().map(EsploraClient::name).toList();
  }

  public int minConfirmations() {
    return minConfirmations;
  }

  /** One observation per distinct address, in the order given. */
  public Map<String, AddressObservation> observe(Collection<String> addresses) {
    List<String> distinct = addresses.stream().distinct().toList();
    Map<String, AddressObservation> result = new LinkedHashMap<>();
    for (int from = 0; from < distinct.size(); from += CHUNK_SIZE) {
      List<String> chunk = distinct.subList(from, Math.min(distinct.size(), from + CHUNK_SIZE));
      result.putAll(observeChunk(chunk));
    }
    return result;
  }

  private Map<String, AddressObservation> observeChunk(List<String> chunk) {
    Map<String, AddressObservation> observed = Map.of();
    for (int attempt = 0; attempt < CHUNK_ATTEMPTS; attempt++) {
      TipReading before = readTips();
      if (before.problem() != null) {
        return allWith(chunk, before.problem());
      }
      observed = readBalances(chunk, before.tip());
      TipReading after = readTips();
      if (after.problem() != null) {
        return allWith(chunk, after.problem());
      }
      if (after.tip().equals(before.tip())) {
        return observed;
      }
    }
    Map<String, AddressObservation> moved = new LinkedHashMap<>();
    for (String address : chunk) {
      moved.put(
          address,
          new Failed(
              address, null, "the Bitcoin tip moved while balances were read; retried next cycle"));
    }
    return moved;
  }

  private Map<String, AddressObservation> readBalances(List<String> chunk, ChainTip tip) {
    Map<String, List<Future<Long>>> pending = new LinkedHashMap<>();
    for (String address : chunk) {
      List<Future<Long>> perSource = new ArrayList<>(sources.size());
      for (EsploraClient source : sources) {
        perSource.add(pool.submit(() -> source.confirmedSats(address, tip, minConfirmations)));
      }
      pending.put(address, perSource);
    }
    Map<String, AddressObservation> result = new LinkedHashMap<>();
    pending.forEach(
        (address, futures) -> {
          Map<String, Long> bySource = new LinkedHashMap<>();
          String failure = null;
          for (int i = 0; i < futures.size(); i++) {
            try {
              bySource.put(sources.get(i).name(), futures.get(i).get());
            } catch (ExecutionException e) {
              failure = failure != null ? failure : e.getCause().getMessage();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              failure = "interrupted";
            }
          }
          if (failure != null) {
            result.put(address, new Failed(address, tip, failure));
          } else if (bySource.values().stream().distinct().count() > 1) {
            result.put(
                address,
                new Disagreement(address, tip, "sources report different balances: " + bySource));
          } else {
            result.put(address, new Observed(address, tip, bySource.values().iterator().next()));
          }
        });
    return result;
  }

  private TipReading readTips() {
    List<Future<ChainTip>> futures = new ArrayList<>();
    for (EsploraClient source : sources) {
      Callable<ChainTip> read = source::tip;
      futures.add(pool.submit(read));
    }
    Map<String, ChainTip> tips = new LinkedHashMap<>();
    for (int i = 0; i < futures.size(); i++) {
      try {
        tips.put(sources.get(i).name(), futures.get(i).get());
      } catch (ExecutionException e) {
        return new TipReading(null, new Problem(false, e.getCause().getMessage()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new TipReading(null, new Problem(false, "interrupted while reading tips"));
      }
    }
    if (tips.values().stream().map(ChainTip::hash).distinct().count() > 1) {
      String detail =
          tips.entrySet().stream()
              .map(e -> e.getKey() + " at " + e.getValue().height() + "/" + e.getValue().hash())
              .collect(Collectors.joining(", "));
      return new TipReading(null, new Problem(true, "sources are at different tips: " + detail));
    }
    return new TipReading(tips.values().iterator().next(), null);
  }

  private static Map<String, AddressObservation> allWith(List<String> chunk, Problem problem) {
    Map<String, AddressObservation> result = new LinkedHashMap<>();
    for (String address : chunk) {
      result.put(
          address,
          problem.disagreement()
              ? new Disagreement(address, null, problem.detail())
              : new Failed(address, null, problem.detail()));
    }
    return result;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }

  private record Problem(boolean disagreement, String detail) {}

  private record TipReading(ChainTip tip, Problem problem) {}
}
