package com.reservebtc.devstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The file {@code <data-dir>/pids}: every process the launcher started, with its command line and
 * start time as the operating system reported them.
 *
 * <p>Why: a launcher killed with SIGKILL cannot stop its children. The next launcher on the same
 * data directory reads this file and stops the leftovers, but only a process whose PID, start time
 * and command line all still match: a recycled PID that now belongs to another program is never
 * touched. Processes are never looked up or killed by name.
 */
final class PidRegistry {

  private static final Duration LEFTOVER_GRACE = Duration.ofSeconds(10);

  private final Path file;
  private final List<Entry> entries = new ArrayList<>();

  PidRegistry(Path file) {
    this.file = file;
  }

  /** Records a running process; call right after starting it. */
  synchronized void add(String name, ProcessHandle process) {
    ProcessHandle.Info info = process.info();
    entries.removeIf(e -> e.pid() == process.pid());
    entries.add(
        new Entry(
            name,
            process.pid(),
            info.startInstant().map(i -> i.toEpochMilli()).orElse(-1L),
            info.commandLine().map(PidRegistry::oneLine).orElse("")));
    write();
  }

  synchronized void remove(long pid) {
    if (entries.removeIf(e -> e.pid() == pid)) {
      write();
    }
  }

  /**
   * Stops the processes a previous launcher left running (newest first, so services go before the
   * infrastructure they use), then forgets them.
   */
  void stopLeftovers(Progress progress) {
    List<Entry> recorded = read(file);
    for (int i = recorded.size() - 1; i >= 0; i--) {
      Entry entry = recorded.get(i);
      Optional<ProcessHandle> handle = ProcessHandle.of(entry.pid());
      if (handle.isEmpty() || !handle.get().isAlive()) {
        continue;
      }
      if (!entry.matches(handle.get())) {
        progress.line(
            "pid "
                + entry.pid()
                + " recorded for "
                + entry.name()
                + " now belongs to another program; leaving it alone");
        continue;
      }
      Progress.Step step =
          progress.begin(
              "stopping " + entry.name() + " (pid " + entry.pid() + ") left by an earlier run");
      boolean graceful = ChildProcess.stop(handle.get(), LEFTOVER_GRACE);
      step.ok(graceful ? "stopped" : "killed");
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new DevStackException("could not delete " + file + ": " + e.getMessage(), e);
    }
  }

  /** Forgets every process (all were stopped). */
  synchronized void clear() {
    entries.clear();
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new DevStackException("could not delete " + file + ": " + e.getMessage(), e);
    }
  }

  static List<Entry> read(Path file) {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      List<Entry> result = new ArrayList<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String[] parts = line.split("\t", 4);
        if (parts.length == 4) {
          result.add(
              new Entry(parts[0], Long.parseLong(parts[1]), Long.parseLong(parts[2]), parts[3]));
        }
      }
      return result;
    } catch (IOException | NumberFormatException e) {
      throw new DevStackException(
          "could not read "
              + file
              + " ("
              + e.getMessage()
              + "); check for leftover processes and delete the file",
          e);
    }
  }

  private void write() {
    StringBuilder text = new StringBuilder();
    for (Entry e : entries) {
      text.append(e.name())
          .append('\t')
          .append(e.pid())
          .append('\t')
          .append(e.startMillis())
          .append('\t')
          .append(e.commandLine())
          .append('\n');
    }
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new DevStackException("could not write " + file + ": " + e.getMessage(), e);
    }
  }

  private static String oneLine(String s) {
    return s.replace('\t', ' ').replace('\n', ' ');
  }

  /** One recorded process. */
  record Entry(String name, long pid, long startMillis, String commandLine) {

    /** Same start time and command line as recorded; unknown values never match. */
    boolean matches(ProcessHandle process) {
      ProcessHandle.Info info = process.info();
      Optional<Long> start = info.startInstant().map(i -> i.toEpochMilli());
      Optional<String> command = info.commandLine().map(PidRegistry::oneLine);
      return startMillis >= 0
          && start.isPresent()
          && start.get() == startMillis
          && !commandLine.isEmpty()
          && command.isPresent()
          && command.get().equals(commandLine);
    }
  }
}
