package com.reservebtc.devstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * CPU seconds a local stack has used so far, per component: every process whose command line names
 * the stack's data directory (the services, the broker, PostgreSQL's postmaster, Anvil) with all
 * its live descendants (PostgreSQL's backends), each counted with the children it has reaped. The
 * benchmark's own JVM is reported too. Linux only ({@code /proc}); a process that exits between
 * listing and reading is left out.
 */
final class StackCpu {

  private static final Set<String> SERVICES =
      Set.of(
          "api-gateway",
          "indexer-service",
          "oracle-service",
          "emergency-burn-service",
          "yield-service");

  private StackCpu() {}

  /** Component name → CPU seconds (user + system), in name order, the benchmark JVM last. */
  static Map<String, Double> of(Path dataDir) {
    String marker = dataDir.toAbsolutePath().toString();
    Map<String, Set<Long>> groups = new TreeMap<>();
    try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
      entries
          .map(p -> p.getFileName().toString())
          .filter(name -> name.chars().allMatch(Character::isDigit))
          .map(Long::parseLong)
          .forEach(
              pid -> {
                String command = commandLine(pid);
                if (command.contains(marker)) {
                  Set<Long> pids = groups.computeIfAbsent(component(command), k -> new TreeSet<>());
                  pids.add(pid);
                  ProcessHandle.of(pid)
                      .ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
                }
              });
    } catch (IOException e) {
      return Map.of();
    }
    Map<String, Double> cpu = new LinkedHashMap<>();
    groups.forEach(
        (name, pids) -> cpu.put(name, pids.stream().mapToDouble(StackCpu::seconds).sum()));
    cpu.put("benchmark JVM (row counter)", seconds(ProcessHandle.current().pid()));
    return cpu;
  }

  private static String component(String command) {
    for (String service : SERVICES) {
      if (command.contains("/" + service + ".") || command.contains("/" + service + "-")) {
        return service;
      }
    }
    if (command.contains("/bin/postgres")) {
      return "postgresql";
    }
    if (command.contains("/bin/anvil")) {
      return "anvil";
    }
    if (command.contains("kafka")) {
      return "kafka";
    }
    return "other";
  }

  private static String commandLine(long pid) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
      return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  /** utime + stime + cutime + cstime (fields 14–17 of {@code /proc/<pid>/stat}). */
  private static double seconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = 0;
      for (int i = 11; i <= 14; i++) {
        ticks += Long.parseLong(fields[i]);
      }
      return ticks / 100.0;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
