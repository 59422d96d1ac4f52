package com.reservebtc.devstack.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one run: inputs, machine and load, what the chain holds, what the workload did,
 * every fault injected, and every difference between a read model and the chain.
 *
 * @param problems reasons the run itself did not go as planned (target not reached, a fault that
 *     could not be completed, a flip whose hashes did not repeat, no quiescence); they fail the run
 *     like mismatches do
 * @param mismatches by read model, in check order (an empty list: the read model equals the chain)
 */
public record ChaosReport(
    ChaosOptions options,
    String command,
    Instant startedAt,
    Machine machine,
    FaultPlan plan,
    long firstBlock,
    long head,
    String headHash,
    ExpectedFinality finality,
    Map<String, Integer> eventsByFamily,
    int orphanedLogs,
    Map<String, Integer> actionsSent,
    Map<String, Integer> actionsSkipped,
    List<Journal.Entry> faults,
    Map<String, Duration> phases,
    List<String> problems,
    Map<String, List<Mismatch>> mismatches) {

  /** At most this many mismatches of one read model are written out; the count is always given. */
  static final int LISTED_PER_READ_MODEL = 60;

  /**
   * The machine the run had.
   *
   * @param loadSamples one-minute load averages sampled during the run
   */
  public record Machine(
      int cores, long memoryMiB, String os, String java, List<Double> loadSamples) {

    String load() {
      if (loadSamples.isEmpty()) {
        return "not sampled";
      }
      double min = loadSamples.stream().mapToDouble(Double::doubleValue).min().orElse(0);
      double max = loadSamples.stream().mapToDouble(Double::doubleValue).max().orElse(0);
      double mean = loadSamples.stream().mapToDouble(Double::doubleValue).average().orElse(0);
      return String.format(
          "1-minute load average min %.2f / mean %.2f / max %.2f over %d samples",
          min, mean, max, loadSamples.size());
    }
  }

  public boolean passed() {
    return problems.isEmpty() && mismatchCount() == 0;
  }

  public int mismatchCount() {
    return mismatches.values().stream().mapToInt(List::size).sum();
  }

  public int totalEvents() {
    return eventsByFamily.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Every mismatch, one line each, for test failure messages. */
  public List<String> mismatchLines() {
    List<String> lines = new ArrayList<>();
    mismatches.values().forEach(list -> list.forEach(m -> lines.add(m.toString())));
    return lines;
  }

  public String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# Whole-stack fault test: results\n\n");
    md.append("Written by `").append(command).append("` (").append(startedAt).append(").\n\n");
    md.append("**Outcome: ")
        .append(passed() ? "PASS" : "FAIL")
        .append("** — ")
        .append(totalEvents())
        .append(" chain events, ")
        .append(faults.size())
        .append(" faults injected, ")
        .append(mismatchCount())
        .append(" mismatches")
        .append(problems.isEmpty() ? "" : ", " + problems.size() + " problems of the run itself")
        .append(".\n\n");

    md.append("## Inputs\n\n| setting | value |\n|---|---|\n");
    row(md, "seed", Long.toString(options.seed()));
    row(md, "users", Integer.toString(options.users()));
    row(md, "target chain events", Integer.toString(options.targetEvents()));
    row(md, "workload pace", options.actionsPerSecond() + " actions/s");
    row(md, "kills per component", Integer.toString(options.killsPerComponent()));
    row(md, "most components killed at once", Integer.toString(options.mostKilledAtOnce()));
    row(md, "PostgreSQL outage", options.postgresOutage().toMillis() + " ms");
    row(md, "A→B→A flips", Integer.toString(options.flipFlops()));
    row(md, "reorgs below CONFIRMED", Integer.toString(options.deepReorgs()));
    row(
        md,
        "gap between faults",
        options.faultGap().toMillis() + "–" + 2 * options.faultGap().toMillis() + " ms");
    row(md, "restart pause", "500–" + (500 + options.maxRestartPause().toMillis()) + " ms");
    row(md, "quiescence", options.quietBlocks() + " blocks without a protocol log");

    md.append("\n## Machine and load\n\n");
    md.append("- ")
        .append(machine.cores())
        .append(" cores, ")
        .append(machine.memoryMiB())
        .append(" MiB memory, ");
    md.append(machine.os()).append(", Java ").append(machine.java()).append('\n');
    md.append("- ")
        .append(machine.load())
        .append(" (the machine is shared; other builds may run)\n");
    md.append("- phases: ");
    List<String> phaseText = new ArrayList<>();
    phases.forEach((name, d) -> phaseText.add(name + " " + d.toSeconds() + " s"));
    md.append(String.join(", ", phaseText)).append("\n");

    md.append("\n## The chain\n\n");
    md.append("Blocks ")
        .append(firstBlock)
        .append("–")
        .append(head)
        .append(" (head ")
        .append(headHash)
        .append(", frozen for the verification; ")
        .append(finality.describe())
        .append("). ")
        .append(orphanedLogs)
        .append(" logs were seen to leave the chain in reorgs and flips.\n\n");
    md.append("| event family | logs on the canonical chain |\n|---|---|\n");
    eventsByFamily.forEach((family, count) -> row(md, family, Integer.toString(count)));
    row(md, "**total**", "**" + totalEvents() + "**");

    md.append("\n## Workload\n\n| action | sent | skipped (precondition false) |\n|---|---|---|\n");
    for (Workload.Action a : Workload.Action.values()) {
      row(
          md,
          a.name(),
          actionsSent.getOrDefault(a.name(), 0) + " | " + actionsSkipped.getOrDefault(a.name(), 0));
    }

    md.append("\n## Fault plan (seed ").append(plan.seed()).append(")\n\n");
    plan.describe().forEach(line -> md.append("- ").append(line).append('\n'));
    md.append(
        "\n## Faults injected\n\n| at | fault | target | what happened |\n|---|---|---|---|\n");
    for (Journal.Entry f : faults) {
      md.append("| ")
          .append(Journal.stamp(f.at()))
          .append(" | ")
          .append(f.kind())
          .append(f.ok() ? "" : " (INCOMPLETE)")
          .append(" | ")
          .append(f.target())
          .append(" | ")
          .append(f.detail().replace("|", "/"))
          .append(" |\n");
    }

    md.append("\n## Verification\n\n");
    if (!problems.isEmpty()) {
      md.append("Problems of the run itself:\n\n");
      problems.forEach(p -> md.append("- ").append(p).append('\n'));
      md.append('\n');
    }
    md.append("| read model | mismatches |\n|---|---|\n");
    mismatches.forEach((model, list) -> row(md, model, Integer.toString(list.size())));
    for (Map.Entry<String, List<Mismatch>> entry : mismatches.entrySet()) {
      if (entry.getValue().isEmpty()) {
        continue;
      }
      md.append("\n### ")
          .append(entry.getKey())
          .append(" (")
          .append(entry.getValue().size())
          .append(")\n\n");
      md.append("| subject | expected (chain) | found |\n|---|---|---|\n");
      entry.getValue().stream()
          .limit(LISTED_PER_READ_MODEL)
          .forEach(
              m ->
                  md.append("| ")
                      .append(m.subject().replace("|", "/"))
                      .append(" | ")
                      .append(m.expected().replace("|", "/"))
                      .append(" | ")
                      .append(m.found().replace("|", "/"))
                      .append(" |\n"));
      if (entry.getValue().size() > LISTED_PER_READ_MODEL) {
        md.append("\n… and ")
            .append(entry.getValue().size() - LISTED_PER_READ_MODEL)
            .append(" more.\n");
      }
    }
    return md.toString();
  }

  private static void row(StringBuilder md, String a, String b) {
    md.append("| ").append(a).append(" | ").append(b).append(" |\n");
  }

  static Map<String, Integer> names(Map<Workload.Action, Integer> counts) {
    Map<String, Integer> out = new LinkedHashMap<>();
    counts.forEach((a, n) -> out.put(a.name(), n));
    return out;
  }
}
