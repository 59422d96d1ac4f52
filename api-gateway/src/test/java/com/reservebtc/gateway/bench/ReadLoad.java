package com.reservebtc.gateway.bench;

import io.netty.channel.ChannelOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Open-loop load generator for the read API: sends requests at a fixed arrival rate, whatever the
 * latency of earlier ones, and measures each latency from the request's scheduled send time, so a
 * stall of the server or of this generator shows up in the percentiles instead of silently lowering
 * the rate (no coordinated omission). Requests go over a pool of keep-alive connections to a mix of
 * the read endpoints for random seeded users, each request with an {@code X-Forwarded-For} from a
 * pool of client addresses (the gateway must trust 127.0.0.1 as a proxy).
 *
 * <p>Usage: {@code ReadLoad --url URL --users FILE [--rate 2000] [--warmup 15] [--duration 60]
 * [--connections 64] [--clients 1000] [--expect-records N]}
 */
public final class ReadLoad {

  /** Endpoint weights of the mix, summing to 100. */
  private static final String[][] MIX = {
    {"30", "/api/realtime/balances?address="},
    {"20", "/api/realtime/transactions?limit=20&address="},
    {"15", "/api/realtime/sync-status?address="},
    {"10", "/api/realtime/bitcoin-addresses?address="},
    {"10", "/api/realtime/yield-status?address="},
    {"5", "/api/realtime/emergency-burns?address="},
    {"5", "/api/realtime/disputes?address="},
    {"5", "/api/realtime/proof-of-reserves?"}
  };

  private ReadLoad() {}

  public static void main(String[] args) throws Exception {
    String url = BenchArgs.value(args, "--url", null);
    List<String> users = Files.readAllLines(Path.of(BenchArgs.value(args, "--users", null)));
    int rate = Integer.parseInt(BenchArgs.value(args, "--rate", "2000"));
    int warmup = Integer.parseInt(BenchArgs.value(args, "--warmup", "15"));
    int duration = Integer.parseInt(BenchArgs.value(args, "--duration", "60"));
    int connections = Integer.parseInt(BenchArgs.value(args, "--connections", "64"));
    int clients = Integer.parseInt(BenchArgs.value(args, "--clients", "1000"));
    long expected = Long.parseLong(BenchArgs.value(args, "--expect-records", "0"));

    GatewayProbe probe = new GatewayProbe(url);
    if (expected > 0) {
      long t0 = System.nanoTime();
      probe.awaitProjected(expected, Duration.ofMinutes(10));
      System.out.printf(
          Locale.ROOT,
          "projections caught up: %d records in %.1f s after start of waiting%n",
          expected,
          (System.nanoTime() - t0) / 1e9);
    }

    ConnectionProvider pool =
        ConnectionProvider.builder("read-load")
            .maxConnections(connections)
            .pendingAcquireMaxCount(-1)
            .pendingAcquireTimeout(Duration.ofSeconds(60))
            .build();
    LoopResources loops = LoopResources.create("read-load", 1, true);
    HttpClient client =
        HttpClient.create(pool)
            .runOn(loops)
            .baseUrl(url)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
            .responseTimeout(Duration.ofSeconds(10));
    try {
      List<String> every = new ArrayList<>();
      for (String[] entry : MIX) {
        if (entry[1].endsWith("?")) {
          every.add(entry[1].substring(0, entry[1].length() - 1));
        } else {
          users.forEach(user -> every.add(entry[1] + user));
        }
      }
      System.out.printf(
          Locale.ROOT, "priming: each of %d paths once at %d req/s%n", every.size(), rate);
      run(client, rate, every.size(), clients, 0, (random, i) -> every.get(i));
      System.out.printf(Locale.ROOT, "warm-up: %d s at %d req/s%n", warmup, rate);
      run(client, rate, rate * warmup, clients, 1, (random, i) -> path(random, users));
      double hitsBefore = probe.counter("rbtc_gateway_cache_requests_total", "result=\"hit\"");
      double allBefore = probe.counter("rbtc_gateway_cache_requests_total", null);
      System.out.printf(Locale.ROOT, "measuring: %d s at %d req/s%n", duration, rate);
      Result result =
          run(client, rate, rate * duration, clients, 2, (random, i) -> path(random, users));
      double hits =
          probe.counter("rbtc_gateway_cache_requests_total", "result=\"hit\"") - hitsBefore;
      double all = probe.counter("rbtc_gateway_cache_requests_total", null) - allBefore;
      result.print(all == 0 ? 0 : hits / all);
    } finally {
      pool.disposeLater().block(Duration.ofSeconds(10));
      loops.disposeLater().block(Duration.ofSeconds(10));
    }
  }

  record Result(
      int scheduled,
      long[] latencies,
      long ok,
      long notOk,
      long errors,
      long rateLimited,
      double elapsedSeconds,
      double sendLagP99Micros) {

    void print(double cacheHitRatio) {
      long[] sorted = Arrays.copyOf(latencies, latencies.length);
      Arrays.sort(sorted);
      System.out.printf(
          Locale.ROOT,
          "requests scheduled %d, completed %d (200: %d, other status: %d of which 429: %d,"
              + " errors: %d)%n",
          scheduled,
          sorted.length,
          ok,
          notOk,
          rateLimited,
          errors);
      System.out.printf(
          Locale.ROOT,
          "achieved rate %.1f req/s over %.2f s; generator send lag p99 %.0f us%n",
          sorted.length / elapsedSeconds,
          elapsedSeconds,
          sendLagP99Micros);
      System.out.printf(
          Locale.ROOT,
          "latency from scheduled send (ms): p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n",
          percentile(sorted, 50),
          percentile(sorted, 90),
          percentile(sorted, 99),
          percentile(sorted, 99.9),
          sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6);
      System.out.printf(Locale.ROOT, "gateway cache hit ratio %.3f%n", cacheHitRatio);
    }

    static double percentile(long[] sorted, double p) {
      if (sorted.length == 0) {
        return Double.NaN;
      }
      int rank = (int) Math.ceil(p / 100.0 * sorted.length);
      return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }
  }

  /** The path of request {@code index}. */
  @FunctionalInterface
  private interface Paths {
    String path(SplittableRandom random, int index);
  }

  private static Result run(
      HttpClient client, int rate, int total, int clients, long seed, Paths paths)
      throws InterruptedException {
    long intervalNanos = 1_000_000_000L / rate;
    AtomicLongArray latencies = new AtomicLongArray(total);
    long[] sendLag = new long[total];
    AtomicLong ok = new AtomicLong();
    AtomicLong notOk = new AtomicLong();
    AtomicLong limited = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicLong lastCompletion = new AtomicLong();
    CountDownLatch done = new CountDownLatch(total);
    SplittableRandom random = new SplittableRandom(seed);
    long start = System.nanoTime() + 50_000_000L;
    for (int i = 0; i < total; i++) {
      long scheduled = start + i * intervalNanos;
      long wait;
      while ((wait = scheduled - System.nanoTime()) > 0) {
        // no spinning: the generator shares the machine's cores with the gateway; a late send
        // is charged to the latency, since it is measured from the scheduled time
        LockSupport.parkNanos(wait);
      }
      sendLag[i] = System.nanoTime() - scheduled;
      String path = paths.path(random, i);
      int c = random.nextInt(clients) + 1;
      String forwardedFor = "10." + (c >> 16 & 255) + "." + (c >> 8 & 255) + "." + (c & 255);
      int index = i;
      client
          .headers(h -> h.set("X-Forwarded-For", forwardedFor))
          .get()
          .uri(path)
          .responseSingle(
              (response, body) ->
                  body.then(reactor.core.publisher.Mono.just(response.status().code())))
          .subscribe(
              status -> {
                long now = System.nanoTime();
                latencies.set(index, now - scheduled);
                lastCompletion.accumulateAndGet(now, Math::max);
                if (status == 200) {
                  ok.incrementAndGet();
                } else {
                  notOk.incrementAndGet();
                  if (status == 429) {
                    limited.incrementAndGet();
                  }
                }
                done.countDown();
              },
              error -> {
                if (errors.get() < 5) {
                  System.out.println(
                      "request failed: GET "
                          + path
                          + " X-Forwarded-For "
                          + forwardedFor
                          + ": "
                          + error);
                }
                long now = System.nanoTime();
                latencies.set(index, now - scheduled);
                lastCompletion.accumulateAndGet(now, Math::max);
                errors.incrementAndGet();
                done.countDown();
              });
    }
    if (!done.await(120, TimeUnit.SECONDS)) {
      System.out.println("WARNING: " + done.getCount() + " requests did not complete in 120 s");
    }
    long[] lat = new long[total];
    int n = 0;
    for (int i = 0; i < total; i++) {
      long v = latencies.get(i);
      if (v > 0) {
        lat[n++] = v;
      }
    }
    Arrays.sort(sendLag);
    return new Result(
        total,
        Arrays.copyOf(lat, n),
        ok.get(),
        notOk.get(),
        errors.get(),
        limited.get(),
        (lastCompletion.get() - start) / 1e9,
        sendLag[(int) Math.min(total - 1, Math.ceil(0.99 * total) - 1)] / 1e3);
  }

  private static String path(SplittableRandom random, List<String> users) {
    int pick = random.nextInt(100);
    for (String[] entry : MIX) {
      pick -= Integer.parseInt(entry[0]);
      if (pick < 0) {
        return entry[1].endsWith("?")
            ? entry[1].substring(0, entry[1].length() - 1)
            : entry[1] + users.get(random.nextInt(users.size()));
      }
    }
    throw new IllegalStateException("weights do not sum to 100");
  }
}
