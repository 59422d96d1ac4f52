package com.reservebtc.devstack;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Plain-text progress output that reads the same in a terminal and in a CI log: no spinners, no
 * carriage returns, every line prefixed with the time since the launcher started.
 *
 * <p>A {@link Step} prints {@code "[ 1.2 s] waiting for X… "} and finishes the same line with
 * {@code "ok (2.3 s)"}. If another line is printed while a step is open, the open line is ended
 * first and the step's result is printed later on a line of its own that repeats its label, so
 * concurrent output never produces a garbled line.
 */
final class Progress {

  private final PrintStream out;
  private final long startNanos = System.nanoTime();
  private Step open;

  Progress(PrintStream out) {
    this.out = out;
  }

  /** Starts a step whose result is printed by {@link Step#ok()} or {@link Step#failed()}. */
  synchronized Step begin(String label) {
    breakOpenLine();
    Step step = new Step(label);
    out.print(prefix() + label + "… ");
    out.flush();
    open = step;
    return step;
  }

  /** Prints one complete line. */
  synchronized void line(String text) {
    breakOpenLine();
    out.println(prefix() + text);
    out.flush();
  }

  /** Prints text as it is, without the time prefix (tables, examples). */
  synchronized void raw(String text) {
    breakOpenLine();
    out.println(text);
    out.flush();
  }

  private void breakOpenLine() {
    if (open != null) {
      out.println();
      open = null;
    }
  }

  private String prefix() {
    return String.format(Locale.ROOT, "[%6.1f s] ", (System.nanoTime() - startNanos) / 1e9);
  }

  static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
  }

  /** One step of the start-up or shutdown sequence. */
  final class Step {
    private final String label;
    private final long stepStart = System.nanoTime();

    private Step(String label) {
      this.label = label;
    }

    void ok() {
      finish("ok");
    }

    void ok(String detail) {
      finish("ok, " + detail);
    }

    void failed() {
      finish("FAILED");
    }

    private void finish(String result) {
      synchronized (Progress.this) {
        String text = result + " (" + seconds(System.nanoTime() - stepStart) + ")";
        if (open == this) {
          out.println(text);
          open = null;
        } else {
          breakOpenLine();
          out.println(prefix() + label + "… " + text);
        }
        out.flush();
      }
    }
  }
}
