package com.reservebtc.devstack;

import java.io.IOException;
import java.math.BigInteger;
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
    long launched = System.nanoTime();
    try (DevStack stack =
        DevStack.start(
            DevStackOptions.builder()
                .dataDir(dataDir)
                .freePorts()
                .serviceTimeout(Duration.ofMinutes(5))
                .build())) {
      long ready = System.nanoTime();
      say("stack ready in " + seconds(ready - launched) + " s");
      long expected = protocolLogs(stack);
      say(expected + " protocol logs on the chain; counting the gateway's rows");
      Measured measured = count(stack, expected, launched, quietSeconds);
      long gatewayPid = stack.service("api-gateway").pid();
      long indexerPid = stack.service("indexer-service").pid();
      write(
          results,
          stateSummary(state, logs, txsPerBlock),
          expected,
          measured,
          seconds(ready - launched),
          cpuSeconds(indexerPid),
          cpuSeconds(gatewayPid),
          loadBefore,
          loadAverage());
    } finally {
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

  private record Measured(
      long rows,
      long launchedNanos,
      long firstRowNanos,
      long lastChangeNanos,
      List<long[]> progress) {}

  private Measured count(DevStack stack, long expected, long launched, int quietSeconds)
      throws Exception {
    List<long[]> progress = new ArrayList<>();
    long rows = 0;
    long firstRow = -1;
    long lastChange = System.nanoTime();
    long nextReport = System.nanoTime();
    try (Connection db =
            DriverManager.getConnection(
                stack.postgresJdbcUrl("gateway"), stack.postgresUser(), stack.postgresPassword());
        Statement statement = db.createStatement()) {
      while (true) {
        long now;
        long counted;
        try (ResultSet rs = statement.executeQuery("select count(*) from transactions")) {
          rs.next();
          counted = rs.getLong(1);
          now = System.nanoTime();
        }
        if (counted != rows) {
          rows = counted;
          lastChange = now;
          if (firstRow < 0 && rows > 0) {
            firstRow = now;
          }
        }
        if (now >= nextReport) {
          progress.add(new long[] {now - launched, rows});
          say(
              String.format(
                  Locale.ROOT,
                  "%6.1f s: %,d of %,d rows",
                  seconds(now - launched),
                  rows,
                  expected));
          nextReport = now + Duration.ofSeconds(5).toNanos();
        }
        if (rows >= expected) {
          break;
        }
        if (rows > 0 && now - lastChange > Duration.ofSeconds(quietSeconds).toNanos()) {
          say("no new row for " + quietSeconds + " s: stopping at " + rows + " rows");
          break;
        }
        LockSupport.parkNanos(POLL.toNanos());
      }
    }
    progress.add(new long[] {lastChange - launched, rows});
    return new Measured(rows, launched, firstRow, lastChange, progress);
  }

  private static void write(
      Path results,
      String chain,
      long expected,
      Measured m,
      double readySeconds,
      double indexerCpu,
      double gatewayCpu,
      double[] loadBefore,
      double[] loadAfter)
      throws IOException {
    double launchToLast = seconds(m.lastChangeNanos() - m.launchedNanos());
    double firstToLast = seconds(m.lastChangeNanos() - m.firstRowNanos());
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
        "| protocol logs on the chain | gateway rows | launch → stack ready | launch → last row |"
            + " first row → last row | rows/s from launch | rows/s first → last row | indexer CPU s"
            + " | gateway CPU s |\n|---|---|---|---|---|---|---|---|---|\n");
    md.append(
        String.format(
            Locale.ROOT,
            "| %d | %d | %.1f s | %.1f s | %.1f s | %.0f | **%.0f** | %.1f | %.1f |%n%n",
            expected,
            m.rows(),
            readySeconds,
            launchToLast,
            firstToLast,
            m.rows() / launchToLast,
            m.rows() / firstToLast,
            indexerCpu,
            gatewayCpu));
    if (m.rows() < expected) {
      md.append("**")
          .append(expected - m.rows())
          .append(" logs did not become rows** (see the services' dead-letter topics).\n\n");
    }
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
