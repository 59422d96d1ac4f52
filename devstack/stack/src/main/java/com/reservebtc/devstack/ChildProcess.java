package com.reservebtc.devstack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A child process of the launcher whose stdout and stderr are appended to one log file.
 *
 * <p>Guarantees: {@link #stop(Duration)} returns only when the process is gone (asked politely
 * first, then killed). Does not stop grandchildren: every process the launcher starts this way is a
 * single JVM that starts no processes of its own.
 */
final class ChildProcess {

  private static final Duration KILL_WAIT = Duration.ofSeconds(10);

  private final String name;
  private final Process process;
  private final Path logFile;

  private ChildProcess(String name, Process process, Path logFile) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
  }

  /**
   * Starts {@code command} with the launcher's environment plus {@code env}, minus {@code
   * removeEnv}.
   */
  static ChildProcess start(
      String name,
      List<String> command,
      Map<String, String> env,
      Set<String> removeEnv,
      Path workingDir,
      Path logFile) {
    try {
      Files.createDirectories(logFile.getParent());
      Files.writeString(
          logFile,
          "==== " + Instant.now() + " starting " + name + ": " + display(command) + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile());
      removeEnv.forEach(builder.environment()::remove);
      builder.environment().putAll(env);
      builder.redirectErrorStream(true);
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      return new ChildProcess(name, builder.start(), logFile);
    } catch (IOException e) {
      throw new DevStackException("could not start " + name + ": " + e.getMessage(), e);
    }
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  ProcessHandle handle() {
    return process.toHandle();
  }

  Path logFile() {
    return logFile;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Exit code; only meaningful once {@link #isAlive()} is false. */
  int exitValue() {
    return process.exitValue();
  }

  /** Waits for the process to end on its own, e.g. a one-shot tool. */
  boolean waitFor(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevStackException("interrupted while waiting for " + name, e);
    }
  }

  /**
   * Asks the process to stop (SIGTERM), waits up to {@code grace}, then kills it (SIGKILL).
   *
   * @return true if it stopped within the grace period
   */
  boolean stop(Duration grace) {
    return stop(process.toHandle(), grace);
  }

  /** Kills the process at once (SIGKILL) and waits until it is gone. */
  void kill() {
    process.destroyForcibly();
    awaitExit(process.toHandle(), KILL_WAIT);
  }

  /** Last lines of the log, for error messages. */
  String logTail(int lines) {
    return tail(logFile, lines);
  }

  static boolean stop(ProcessHandle handle, Duration grace) {
    return stop(handle, grace, false);
  }

  /**
   * Like {@link #stop(ProcessHandle, Duration)}; with {@code alreadyAsked} the process was already
   * told to stop by other means, so it first gets the grace period to exit on its own.
   */
  static boolean stop(ProcessHandle handle, Duration grace, boolean alreadyAsked) {
    if (!handle.isAlive()) {
      return true;
    }
    if (alreadyAsked && awaitExit(handle, grace)) {
      return true;
    }
    handle.destroy();
    if (awaitExit(handle, grace)) {
      return true;
    }
    handle.destroyForcibly();
    if (!awaitExit(handle, KILL_WAIT)) {
      throw new DevStackException(
          "process " + handle.pid() + " did not exit even after SIGKILL; stop it by hand");
    }
    return false;
  }

  private static boolean awaitExit(ProcessHandle handle, Duration timeout) {
    try {
      handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return !handle.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !handle.isAlive();
    } catch (java.util.concurrent.ExecutionException e) {
      return !handle.isAlive();
    }
  }

  /** The command for the log, with a long classpath shortened to its size. */
  static String display(List<String> command) {
    return command.stream()
        .map(
            arg ->
                arg.length() > 200 && arg.contains(File.pathSeparator)
                    ? "<classpath of " + arg.split(File.pathSeparator).length + " entries>"
                    : arg)
        .collect(java.util.stream.Collectors.joining(" "));
  }

  static String tail(Path file, int lines) {
    try {
      if (!Files.exists(file)) {
        return "";
      }
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(could not read " + file + ": " + e.getMessage() + ")";
    }
  }
}
