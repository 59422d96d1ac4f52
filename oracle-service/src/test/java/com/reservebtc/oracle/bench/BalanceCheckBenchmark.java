package com.reservebtc.oracle.bench;

import com.reservebtc.esplora.EsploraSimulator;
import com.reservebtc.esplora.SimulatorConfig;
import com.reservebtc.oracle.bitcoin.AddressObservation;
import com.reservebtc.oracle.bitcoin.BalanceObserver;
import com.reservebtc.oracle.bitcoin.BitcoinProperties;
import com.reservebtc.oracle.chain.LastSatsBenchmark;
import com.reservebtc.oracle.ownership.BtcNetwork;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.base.SegwitAddress;
import org.bitcoinj.crypto.ECKey;
import tools.jackson.databind.json.JsonMapper;

/**
 * Measures one full observation cycle of the oracle's balance checker ({@link BalanceObserver}, the
 * production client code, real HTTP on loopback) over N funded addresses on an Esplora simulator
 * started in this JVM. Prints wall time, addresses/s and per-request latency percentiles, and the
 * machine. Optionally ({@code --last-sats}) times the sync part's {@code lastSats} reads against a
 * local Anvil with the protocol deployed, one call per user against JSON-RPC batches ({@link
 * LastSatsBenchmark}).
 *
 * <p>Run with {@code oracle-service/bench/run-balance-check [--addresses N] [--cycles C]
 * [--concurrency K] [--min-confirmations N] [--last-sats [--last-sats-users U] [--read-batch-size
 * B] [--rpc-latency-ms L]]}. Exit status 1 if any address was not observed with its funded balance,
 * or the batched reads differ from the sequential ones.
 */
public final class BalanceCheckBenchmark {

  private BalanceCheckBenchmark() {}

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    printMachine();
    System.out.printf(
        Locale.ROOT,
        "addresses %d, cycles %d, max concurrent requests %d, simulator HTTP threads %d,"
            + " min-confirmations %d (above 1, each address also needs its recent history)%n",
        options.addresses,
        options.cycles,
        options.concurrency,
        options.simulatorThreads,
        options.minConfirmations);

    long setupStarted = System.nanoTime();
    Map<String, Long> funded = new LinkedHashMap<>();
    for (int i = 0; i < options.addresses; i++) {
      ECKey key = ECKey.fromPrivate(BigInteger.valueOf(1_000_003L + i));
      funded.put(
          SegwitAddress.fromHash(BitcoinNetwork.REGTEST, key.getPubKeyHash()).toString(),
          10_000L + i);
    }
    boolean ok = true;
    try (EsploraSimulator esplora =
        new EsploraSimulator(SimulatorConfig.defaults().withHttpThreads(options.simulatorThreads))
            .start()) {
      esplora.fund(funded);
      esplora.mine(options.minConfirmations);
      System.out.printf(
          Locale.ROOT,
          "set-up (keys, bulk fund with %d outputs, mine): %d ms%n",
          funded.size(),
          ms(System.nanoTime() - setupStarted));

      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      meters.config().meterFilter(percentiles());
      BitcoinProperties properties =
          new BitcoinProperties(
              List.of(),
              List.of(URI.create(esplora.baseUrl())),
              null,
              BtcNetwork.REGTEST,
              options.minConfirmations,
              Duration.ofSeconds(2),
              Duration.ofSeconds(5),
              options.concurrency,
              2,
              Duration.ofSeconds(5),
              6,
              Duration.ofMinutes(30),
              Duration.ofMinutes(10));
      try (BalanceObserver observer =
          new BalanceObserver(
              properties,
              JsonMapper.builder().build(),
              meters,
              alert -> System.out.println("alert: " + alert),
              java.time.Clock.systemUTC())) {
        observer.verifyNetworks();
        List<String> addresses = new ArrayList<>(funded.keySet());
        for (int cycle = 1; cycle <= options.cycles; cycle++) {
          meters.clear();
          long started = System.nanoTime();
          Map<String, AddressObservation> observed = observer.observe(addresses);
          long wall = System.nanoTime() - started;
          int wrong = check(funded, observed);
          ok &= wrong == 0;
          System.out.printf(
              Locale.ROOT,
              "%ncycle %d (%s): wall %.3f s, %.0f addresses/s, %d observed correctly, %d wrong%n",
              cycle,
              cycle == 1 ? "cold JVM" : "warm",
              wall / 1e9,
              addresses.size() / (wall / 1e9),
              addresses.size() - wrong,
              wrong);
          printLatencies(meters);
        }
      }
    }
    if (options.lastSats) {
      ok &=
          LastSatsBenchmark.run(
              options.lastSatsUsers > 0 ? options.lastSatsUsers : options.addresses,
              options.readBatchSize,
              options.cycles,
              Duration.ofMillis(options.rpcLatencyMs));
    }
    System.exit(ok ? 0 : 1);
  }

  /** Counts addresses not observed with exactly their funded balance. */
  private static int check(Map<String, Long> funded, Map<String, AddressObservation> observed) {
    int wrong = 0;
    for (Map.Entry<String, Long> entry : funded.entrySet()) {
      AddressObservation observation = observed.get(entry.getKey());
      if (!(observation instanceof AddressObservation.Observed ok)
          || ok.confirmedSats() != entry.getValue()) {
        if (wrong < 5) {
          System.out.println("  not observed as funded: " + entry.getKey() + " -> " + observation);
        }
        wrong++;
      }
    }
    return wrong;
  }

  private static void printLatencies(SimpleMeterRegistry meters) {
    long requests = 0;
    for (Meter meter : meters.getMeters()) {
      if (!(meter instanceof Timer timer)) {
        continue;
      }
      requests += timer.count();
      double p50 = 0;
      double p99 = 0;
      for (ValueAtPercentile v : timer.takeSnapshot().percentileValues()) {
        if (v.percentile() == 0.5) {
          p50 = v.value(TimeUnit.MILLISECONDS);
        } else if (v.percentile() == 0.99) {
          p99 = v.value(TimeUnit.MILLISECONDS);
        }
      }
      System.out.printf(
          Locale.ROOT,
          "  %-13s %-5s %6d requests  p50 %7.3f ms  p99 %7.3f ms  max %7.3f ms%n",
          meter.getId().getTag("endpoint"),
          meter.getId().getTag("outcome"),
          timer.count(),
          p50,
          p99,
          timer.max(TimeUnit.MILLISECONDS));
    }
    System.out.printf(Locale.ROOT, "  %d HTTP requests in total%n", requests);
  }

  /** Exact-enough client-side percentiles (0.1 % precision) for the benchmark's timers. */
  private static MeterFilter percentiles() {
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(
          Meter.Id id, DistributionStatisticConfig config) {
        return DistributionStatisticConfig.builder()
            .percentiles(0.5, 0.99)
            .percentilePrecision(3)
            .expiry(Duration.ofHours(1))
            .bufferLength(1)
            .build()
            .merge(config);
      }
    };
  }

  private static void printMachine() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    long totalRam =
        os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getTotalMemorySize() : -1;
    System.out.printf(
        Locale.ROOT,
        "machine: %d cores, %.1f GiB RAM, %s %s, Java %s (%s), max heap %d MiB%n",
        Runtime.getRuntime().availableProcessors(),
        totalRam / (1024.0 * 1024 * 1024),
        os.getName(),
        os.getArch(),
        Runtime.version(),
        System.getProperty("java.vm.name"),
        Runtime.getRuntime().maxMemory() / (1024 * 1024));
    System.out.printf(
        Locale.ROOT, "load average (1 min) at start: %.2f%n", os.getSystemLoadAverage());
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  private record Options(
      int addresses,
      int cycles,
      int concurrency,
      int simulatorThreads,
      boolean lastSats,
      int lastSatsUsers,
      int readBatchSize,
      int rpcLatencyMs,
      int minConfirmations) {

    static Options parse(String[] args) {
      int addresses = 10_000;
      int cycles = 2;
      int concurrency = 8;
      int simulatorThreads = 8;
      boolean lastSats = false;
      int lastSatsUsers = 0;
      int readBatchSize = 200;
      int rpcLatencyMs = 0;
      int minConfirmations = 1;
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--addresses" -> addresses = Integer.parseInt(args[++i]);
          case "--cycles" -> cycles = Integer.parseInt(args[++i]);
          case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
          case "--simulator-threads" -> simulatorThreads = Integer.parseInt(args[++i]);
          case "--last-sats" -> lastSats = true;
          case "--last-sats-users" -> lastSatsUsers = Integer.parseInt(args[++i]);
          case "--read-batch-size" -> readBatchSize = Integer.parseInt(args[++i]);
          case "--rpc-latency-ms" -> rpcLatencyMs = Integer.parseInt(args[++i]);
          case "--min-confirmations" -> minConfirmations = Integer.parseInt(args[++i]);
          default ->
              throw new IllegalArgumentException(
                  "unknown option "
                      + args[i]
                      + "; use --addresses N --cycles C --concurrency K --simulator-threads T"
                      + " --last-sats --last-sats-users U --read-batch-size B"
                      + " --rpc-latency-ms L --min-confirmations N");
        }
      }
      return new Options(
          addresses,
          cycles,
          concurrency,
          simulatorThreads,
          lastSats,
          lastSatsUsers,
          readBatchSize,
          rpcLatencyMs,
          minConfirmations);
    }
  }
}
