package com.reservebtc.devstack;

import java.io.IOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.http.HttpService;

/**
 * Backfill of a large chain through the whole local stack, from a cold start: how long until every
 * protocol log of the chain is a row a user can query in the gateway ({@code gateway.transactions},
 * what {@code GET /api/realtime/transactions} lists).
 *
 * <p>The chain is the indexer benchmark's generated chain (an Anvil state file and its deployment,
 * cached by {@code indexer-service/bench/run}): fee-vault deposits, then syncs of many users (each
 * an rBTC-SYNTH Transfer, a FeeVault Spent and a Synced log). The benchmark puts that state into a
 * new data directory and starts the stack as {@code devstack/run} does (its JVM options per
 * service, every service), so the indexer backfills from the deployment block and every consumer
 * starts empty. The clock starts when the launcher is called; the rows of the gateway are counted
 * every 100 ms. The expected number is the number of logs of the aggregator, rBTC-SYNTH and the fee
 * vault on the chain ({@code eth_getLogs}), each of which the gateway stores as one row; the run
 * ends when the count reaches it, or when it has not moved for {@code --quiet-seconds} (then the
 * shortfall is reported).
 *
 * <p>Run with {@code devstack/bench/run-chain-to-rows}; options {@code --logs N} (200000), {@code
 * --txs-per-block N} (200), {@code --cache DIR}, {@code --results FILE}, {@code --quiet-seconds N}
 * (60).
 */
public final class ChainToRowsBenchmark {

  private static final Duration POLL = Duration.ofMillis(100);
  private static final int LOG_RANGE = 20;

  private final Map<String, String> options;

  private ChainToRowsBenchmark(Map<String, String> options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    new ChainToRowsBenchmark(options).run();
    System.exit(0);
  }

  private int option(String name, int fallback) {
    return Integer.parseInt(options.getOrDefault(name, Integer.toString(fallback)));
  }

  private void run() throws Exception {
    int logs = option("logs", 200_000);
    int txsPerBlock = option("txs-per-block", 200);
    int quietSeconds = option("quiet-seconds", 60);
    Path cache = Path.of(options.getOrDefault("cache", "indexer-service/bench/.cache"));
    Path results = Path.of(options.getOrDefault("results", "RESULTS-chain-to-rows.md"));
    String name = "chain-" + logs + "-" + txsPerBlock;
    Path state = cache.resolve(name + ".json");
    Path deployment = cache.resolve(name + ".properties");
    if (!Files.exists(state) || !Files.exists(deployment)) {
      throw new IllegalStateException(
          "no generated chain "
              + state
              + " (and "
              + deployment
              + "): generate it with indexer-service/bench/run --logs "
              + logs
              + " --txs-per-block "
              + txsPerBlock);
    }
    Path dataDir = Files.createTempDirectory("rbtc-chain-to-rows");
    try (DataDirectory dir = DataDirectory.open(dataDir)) {
      // Anvil rewrites its state file on exit: the cache stays as generated.
      Files.copy(state, dir.anvilState(), StandardCopyOption.REPLACE_EXISTING);
      Files.copy(deployment, dir.deployment(), StandardCopyOption.REPLACE_EXISTING);
    }
    say("chain " + state + " (" + Files.size(state) / (1 << 20) + " MiB of Anvil state)");
    double[] loadBefore = loadAverage();
    int postgresPort;
    try (ServerSocket probe = new ServerSocket(0)) {
      postgresPort = probe.getLocalPort();
    }
    long launched = System.nanoTime();
    // Counts the gateway's rows from launch on: the first rows may be written while the launcher
    // still waits for the other services.
    RowCounter counter = new RowCounter(postgresPort, launched);
    Thread polling = new Thread(counter, "row-counter");
    polling.setDaemon(true);
    polling.start();
    try (DevStack stack =
        DevStack.start(
            DevStackOptions.builder()
                .dataDir(dataDir)
                .freePorts()
                .postgresPort(postgresPort)
                .serviceTimeout(Duration.ofMinutes(5))
                .build())) {
      long ready = System.nanoTime();
      say("stack ready in " + String.format(Locale.ROOT, "%.1f", seconds(ready - launched)) + " s");
      long expected = protocolLogs(stack);
      say(expected + " protocol logs on the chain; waiting for as many gateway rows");
      counter.awaitRows(expected, Duration.ofSeconds(quietSeconds));
      polling.interrupt();
      polling.join();
      write(
          results,
          stateSummary(state, logs, txsPerBlock),
          expected,
          counter,
          seconds(ready - launched),
          cpuSeconds(stack.service("indexer-service").pid()),
          cpuSeconds(stack.service("api-gateway").pid()),
          StackCpu.of(dataDir),
          loadBefore,
          loadAverage());
    } finally {
      polling.interrupt();
      deleteQuietly(dataDir);
    }
  }

  /** The logs of the contracts whose every log the gateway stores as a row. */
  private static long protocolLogs(DevStack stack) throws IOException {
    Web3j web3j = Web3j.build(new HttpService(stack.rpcUrl()));
    try {
      var deployment = stack.deployment();
      long from = deployment.deploymentBlock();
      long head = web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
      long total = 0;
      for (long start = from; start <= head; start += LOG_RANGE) {
        long end = Math.min(head, start + LOG_RANGE - 1);
        EthFilter filter =
            new EthFilter(
                DefaultBlockParameter.valueOf(BigInteger.valueOf(start)),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(end)),
                List.of(deployment.oracleAggregator(), deployment.synth(), deployment.feeVault()));
        EthLog answer = web3j.ethGetLogs(filter).send();
        if (answer.hasError()) {
          throw new IOException("eth_getLogs " + start + ".." + end + ": " + answer.getError());
        }
        total += answer.getLogs().size();
      }
      return total;
    } finally {
      web3j.shutdown();
    }
  }

  /**
   * Counts {@code gateway.transactions} every 100 ms from launch (retrying until the database and
   * the table exist) and remembers when the count first went above 0 and when it last changed.
   */
  private static final class RowCounter implements Runnable {

    private final int postgresPort;
    private final long launched;
    private final List<long[]> progress = new ArrayList<>();
    private volatile long rows;
    private volatile long firstRowNanos = -1;
    private volatile long lastChangeNanos = -1;

    RowCounter(int postgresPort, long launched) {
      this.postgresPort = postgresPort;
      this.launched = launched;
    }

    @Override
    public void run() {
      long nextReport = 0;
      while (!Thread.currentThread().isInterrupted()) {
        try (Connection db =
                DriverManager.getConnection(
                    "jdbc:postgresql://127.0.0.1:"
                        + postgresPort
                        + "/postgres?currentSchema=gateway",
                    "postgres",
                    "postgres");
            Statement statement = db.createStatement()) {
          while (!Thread.currentThread().isInterrupted()) {
            long counted;
            try (ResultSet rs = statement.executeQuery("select count(*) from transactions")) {
              rs.next();
              counted = rs.getLong(1);
            }
            long now = System.nanoTime();
            if (counted != rows) {
              rows = counted;
              lastChangeNanos = now;
              if (firstRowNanos < 0 && counted > 0) {
                firstRowNanos = now;
              }
            }
            if (now >= nextReport && counted > 0) {
              synchronized (progress) {
                progress.add(new long[] {now - launched, counted});
              }
              say(
                  String.format(
                      Locale.ROOT, "%6.1f s: %,d rows", seconds(now - launched), counted));
              nextReport = now + Duration.ofSeconds(5).toNanos();
            }
            LockSupport.parkNanos(POLL.toNanos());
          }
        } catch (java.sql.SQLException notYet) {
          // The database or the gateway's table is not there yet.
          LockSupport.parkNanos(POLL.toNanos());
        }
      }
    }

    /** Waits until {@code expected} rows, or until the count has not moved for {@code quiet}. */
    void awaitRows(long expected, Duration quiet) {
      while (rows < expected) {
        long last = lastChangeNanos;
        if (last > 0 && System.nanoTime() - last > quiet.toNanos()) {
          say("no new row for " + quiet.toSeconds() + " s: stopping at " + rows + " rows");
          return;
        }
        LockSupport.parkNanos(POLL.toNanos());
      }
    }

    List<long[]> progress() {
      synchronized (progress) {
        List<long[]> copy = new ArrayList<>(progress);
        copy.add(new long[] {lastChangeNanos - launched, rows});
        return copy;
      }
    }
  }

  private static void write(
      Path results,
      String chain,
      long expected,
      RowCounter m,
      double readySeconds,
      double indexerCpu,
      double gatewayCpu,
      Map<String, Double> stackCpu,
      double[] loadBefore,
      double[] loadAfter)
      throws IOException {
    double launchToLast = seconds(m.lastChangeNanos - m.launched);
    double firstToLast = seconds(m.lastChangeNanos - m.firstRowNanos);
    StringBuilder md = new StringBuilder();
    md.append("# Chain to gateway rows: backfill through the whole local stack\n\n");
    md.append("Written by `devstack/bench/run-chain-to-rows` (")
        .append(Instant.now())
        .append(").\n\n");
    md.append("- Chain: ").append(chain).append('\n');
    md.append(
            "- Stack: `devstack/run`'s components and JVM options, every service, started cold"
                + " on a new data directory holding the chain's Anvil state (the indexer backfills"
                + " from the deployment block; every consumer starts empty).\n")
        .append("- Machine: ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores, Java ")
        .append(System.getProperty("java.version"))
        .append(
            String.format(
                Locale.ROOT,
                "; 1-minute load average %.2f before, %.2f after",
                loadBefore[0],
                loadAfter[0]))
        .append(".\n\n");
    md.append(
        "| protocol logs on the chain | gateway rows | launch → stack ready | launch → first row |"
            + " launch → last row | first row → last row | rows/s from launch | rows/s first → last row | indexer CPU s"
            + " | gateway CPU s |\n|---|---|---|---|---|---|---|---|---|---|\n");
    md.append(
        String.format(
            Locale.ROOT,
            "| %d | %d | %.1f s | %.1f s | **%.1f s** | %.1f s | **%.0f** | %.0f | %.1f | %.1f |%n%n",
            expected,
            m.rows,
            readySeconds,
            seconds(m.firstRowNanos - m.launched),
            launchToLast,
            firstToLast,
            m.rows / launchToLast,
            m.rows / firstToLast,
            indexerCpu,
            gatewayCpu));
    if (m.rows < expected) {
      md.append("**")
          .append(expected - m.rows)
          .append(" logs did not become rows** (see the services' dead-letter topics).\n\n");
    }
    double total = stackCpu.values().stream().mapToDouble(Double::doubleValue).sum();
    md.append(
        String.format(
            Locale.ROOT,
            "CPU seconds (user + system) from launch until the last row was counted, per component"
                + " of the stack (%.1f in all; the machine had %.1f core-seconds from launch to the last"
                + " row):%n%n| component | CPU s | share |%n|---|---|---|%n",
            total,
            launchToLast * Runtime.getRuntime().availableProcessors()));
    stackCpu.forEach(
        (component, seconds) ->
            md.append(
                String.format(
                    Locale.ROOT,
                    "| %s | %.1f | %.0f %% |%n",
                    component,
                    seconds,
                    total > 0 ? 100 * seconds / total : 0)));
    md.append('\n');
    md.append("Progress (seconds from launch, rows):\n\n");
    for (long[] point : m.progress()) {
      md.append(String.format(Locale.ROOT, "- %.1f s: %d%n", seconds(point[0]), point[1]));
    }
    Files.createDirectories(results.toAbsolutePath().getParent());
    Files.writeString(results, md.toString(), StandardCharsets.UTF_8);
    System.out.println(md);
  }

  private static String stateSummary(Path state, int logs, int txsPerBlock) throws IOException {
    return String.format(
        Locale.ROOT,
        "`%s` (generated by the indexer benchmark: at least %,d logs, %d transactions per"
            + " block, %d MiB of Anvil state)",
        state.getFileName(),
        logs,
        txsPerBlock,
        Files.size(state) / (1 << 20));
  }

  private static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // utime and stime are fields 14 and 15 of stat; index 11 and 12 after the command.
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  private static double[] loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return new double[] {Double.parseDouble(parts[0])};
    } catch (IOException | RuntimeException e) {
      return new double[] {Double.NaN};
    }
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      say("could not delete " + dir + ": " + e);
    }
  }

  private static void say(String line) {
    System.out.println("[chain-to-rows] " + line);
  }
}
