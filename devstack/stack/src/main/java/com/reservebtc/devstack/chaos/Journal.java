package com.reservebtc.devstack.chaos;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The run's progress lines (each stamped with the time since the run began) and the record of every
 * fault injected, for the report. Thread-safe.
 */
final class Journal {

  /**
   * One fault as it happened.
   *
   * @param at when it began, since the run began
   * @param kind what was done (kill -9, outage, reorg, A→B→A)
   * @param target the component or the chain
   * @param detail PIDs, depths, hashes, pauses, restart times
   * @param ok false if the harness could not complete it as planned (the detail says why)
   */
  record Entry(Duration at, String kind, String target, String detail, boolean ok) {}

  private final PrintStream out;
  private final long startNanos = System.nanoTime();
  private final Instant startedAt = Instant.now();
  private final List<Entry> faults = new ArrayList<>();

  Journal(PrintStream out) {
    this.out = out;
  }

  Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  Instant startedAt() {
    return startedAt;
  }

  void line(String text) {
    String stamped = "[" + stamp(elapsed()) + "] " + text;
    synchronized (out) {
      out.println(stamped);
      out.flush();
    }
  }

  /** Records a fault that began at {@code at} and prints it. */
  void fault(Duration at, String kind, String target, String detail, boolean ok) {
    synchronized (faults) {
      faults.add(new Entry(at, kind, target, detail, ok));
    }
    line((ok ? "" : "INCOMPLETE ") + kind + " " + target + ": " + detail);
  }

  List<Entry> faults() {
    synchronized (faults) {
      return List.copyOf(faults);
    }
  }

  static String stamp(Duration d) {
    long millis = d.toMillis();
    return String.format("%d:%02d.%d", millis / 60_000, (millis / 1000) % 60, (millis / 100) % 10);
  }
}
