package com.reservebtc.devstack.chaos;

import com.reservebtc.devstack.DevStack;
import com.reservebtc.devstack.DevStackOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code devstack/chaos/run}: starts the whole local stack on free ports in a fresh data directory,
 * runs the fault test, writes the report and stops everything by PID. Exit code 0 when every read
 * model equals the chain, 1 on any mismatch or problem of the run, 2 when the harness could not
 * run.
 */
public final class ChaosMain {

  static final String USAGE =
      """
      usage: devstack/chaos/run [--seed N] [--size full|ci] [--events N] [--users N]
                                [--results FILE] [--data-dir DIR]
        --seed     drives every random choice (default: drawn, and printed)
        --size     full (default: >= 10,000 events, every component killed twice) or ci (the
                   end-to-end test's size)
        --events   chain events to reach (overrides the size's)
        --users    users (overrides the size's)
        --results  where the report goes (default devstack/chaos/RESULTS.md)
        --data-dir where the stack keeps its state and logs (default .devstack/chaos, wiped first)
      """;

  private ChaosMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out));
  }

  static int run(String[] args, PrintStream out) {
    Path repo =
        Path.of(System.getProperty("rbtc.devstack.repo-root", ".")).toAbsolutePath().normalize();
    long seed = System.nanoTime() ^ 0x9E3779B97F4A7C15L;
    String size = "full";
    Integer events = null;
    Integer users = null;
    Path results = repo.resolve("devstack/chaos/RESULTS.md");
    Path dataDir = repo.resolve(".devstack/chaos");
    try {
      for (int i = 0; i < args.length; i++) {
        String value = i + 1 < args.length ? args[i + 1] : null;
        switch (args[i]) {
          case "--seed" -> seed = Long.parseLong(require(value, args[i++]));
          case "--size" -> size = require(value, args[i++]);
          case "--events" -> events = Integer.parseInt(require(value, args[i++]));
          case "--users" -> users = Integer.parseInt(require(value, args[i++]));
          case "--results" -> results = Path.of(require(value, args[i++])).toAbsolutePath();
          case "--data-dir" -> dataDir = Path.of(require(value, args[i++])).toAbsolutePath();
          case "--help", "-h" -> {
            out.print(USAGE);
            return 0;
          }
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
    } catch (IllegalArgumentException e) {
      out.println(e.getMessage());
      out.print(USAGE);
      return 2;
    }
    ChaosOptions options =
        switch (size) {
          case "full" -> ChaosOptions.full(seed);
          case "ci" -> ChaosOptions.ci(seed);
          default -> {
            out.println("--size must be full or ci, was " + size);
            yield null;
          }
        };
    if (options == null) {
      return 2;
    }
    if (events != null) {
      options = options.withTargetEvents(events);
    }
    if (users != null) {
      options = options.withUsers(users);
    }
    StringBuilder command =
        new StringBuilder("devstack/chaos/run --seed " + seed + " --size " + size);
    if (events != null) {
      command.append(" --events ").append(events);
    }
    if (users != null) {
      command.append(" --users ").append(users);
    }
    out.println("devstack/chaos/run: seed " + seed + " (" + command + " repeats this plan)");
    logLibrariesToFile(dataDir);
    AtomicReference<DevStack> running = new AtomicReference<>();
    // Ctrl-C or SIGTERM stops every process of the stack by PID, as devstack/run does
    Thread stopper =
        new Thread(
            () -> {
              DevStack stack = running.get();
              if (stack != null) {
                stack.close();
              }
            },
            "chaos-shutdown");
    Runtime.getRuntime().addShutdownHook(stopper);
    try (DevStack stack = DevStack.start(stackOptions(repo, dataDir, out))) {
      running.set(stack);
      ChaosReport report = ChaosRun.run(stack, options, out, command.toString());
      Files.createDirectories(results.getParent());
      Files.writeString(results, report.markdown(), StandardCharsets.UTF_8);
      out.println(
          (report.passed() ? "PASS" : "FAIL")
              + ": "
              + report.totalEvents()
              + " chain events, "
              + report.faults().size()
              + " faults, "
              + report.mismatchCount()
              + " mismatches, "
              + report.problems().size()
              + " problems; report in "
              + results);
      report.problems().forEach(p -> out.println("  problem: " + p));
      report.mismatchLines().stream().limit(40).forEach(m -> out.println("  " + m));
      return report.passed() ? 0 : 1;
    } catch (IOException | RuntimeException e) {
      out.println("devstack/chaos/run could not complete: " + e);
      e.printStackTrace(out);
      return 2;
    }
  }

  /** Library logs (Kafka clients, the simulator, web3j) go to a file, not among the progress. */
  private static void logLibrariesToFile(Path dataDir) {
    Path file = dataDir.resolveSibling(dataDir.getFileName() + "-libraries.log");
    System.setProperty("org.slf4j.simpleLogger.logFile", file.toString());
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
  }

  /**
   * The whole stack on free ports, the gateway's per-client rate limit above the harness's pace,
   * and a patient readiness timeout.
   */
  static DevStackOptions stackOptions(Path repo, Path dataDir, PrintStream out) {
    // System properties only: added to the launcher's JVM options per service.
    List<String> java = new ArrayList<>();
    java.add("-Drbtc.gateway.rate-limit.requests-per-second=100000");
    java.add("-Drbtc.gateway.rate-limit.burst=100000");
    return DevStackOptions.builder()
        .repoRoot(repo)
        .dataDir(dataDir)
        .fresh(true)
        .freePorts()
        // five services restarting at once on a shared two-core machine can take minutes
        .serviceTimeout(Duration.ofMinutes(5))
        .serviceJavaOptions(java)
        .progress(out)
        .build();
  }

  private static String require(String value, String flag) {
    if (value == null) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return value;
  }
}
