package com.reservebtc.devstack;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * What the stack has started and must stop, newest first, plus every child process ever started as
 * a last safety net.
 *
 * <p>Guarantees: once {@link #stopAll} has begun, anything registered later is stopped at once and
 * the registering start-up step fails, so a shutdown racing a start-up (Ctrl-C while starting)
 * never leaves a process behind. Thread-safe.
 */
final class StopList {

  private static final Duration LEFTOVER_GRACE = Duration.ofSeconds(10);

  private record Entry(String label, Runnable stop) {}

  private final Deque<Entry> entries = new ArrayDeque<>();
  private final List<ChildProcess> children = new ArrayList<>();
  private boolean closed;

  /** Registers something to stop; if stopping has begun, stops it now and throws. */
  void register(String label, Runnable stop) {
    synchronized (this) {
      if (!closed) {
        entries.push(new Entry(label, stop));
        return;
      }
    }
    stop.run();
    throw new DevStackException("the stack is shutting down");
  }

  /** Remembers a child process; if stopping has begun, stops it now and throws. */
  void child(ChildProcess child) {
    synchronized (this) {
      if (!closed) {
        children.add(child);
        return;
      }
    }
    child.stop(LEFTOVER_GRACE);
    throw new DevStackException("the stack is shutting down");
  }

  synchronized boolean isClosed() {
    return closed;
  }

  /** Marks the list closed; true only for the first caller, who then calls {@link #stopAll}. */
  synchronized boolean close() {
    if (closed) {
      return false;
    }
    closed = true;
    return true;
  }

  /**
   * Stops every registered entry, newest first, printing one line each, then any child process
   * still alive. Does not stop at the first failure.
   *
   * @return the failures
   */
  List<RuntimeException> stopAll(Progress progress) {
    List<Entry> toStop;
    List<ChildProcess> all;
    synchronized (this) {
      toStop = new ArrayList<>(entries);
      all = new ArrayList<>(children);
    }
    List<RuntimeException> failures = new ArrayList<>();
    for (Entry entry : toStop) {
      Progress.Step step = progress.begin("stopping " + entry.label());
      try {
        entry.stop().run();
        step.ok();
      } catch (RuntimeException e) {
        step.failed();
        progress.line("  " + DevStack.describe(e));
        failures.add(e);
      }
    }
    for (ChildProcess child : all) {
      if (child.isAlive()) {
        Progress.Step step =
            progress.begin("stopping leftover " + child.name() + " (pid " + child.pid() + ")");
        try {
          child.stop(LEFTOVER_GRACE);
          step.ok();
        } catch (RuntimeException e) {
          step.failed();
          failures.add(e);
        }
      }
    }
    return failures;
  }
}
