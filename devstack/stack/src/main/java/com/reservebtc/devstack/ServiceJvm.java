package com.reservebtc.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * How a service's JVM starts in the local stack: its default JVM options, the jar extracted once
 * per build (so the JVM can share classes), Spring AOT when the jar was built with it, and a
 * class-data sharing (CDS) archive of the service's classes.
 *
 * <p>The archive: the first start after a build runs with {@code -XX:ArchiveClassesAtExit} and the
 * JVM writes the archive when the service stops; only a service that stopped gracefully (SIGTERM,
 * exit within the grace period) has its archive kept, because a partly written archive crashes the
 * next JVM that maps it. Later starts map it with {@code -XX:SharedArchiveFile}. A new build of the
 * jar (size or time changed) or another JVM discards the extraction and the archive and records
 * anew; an archive the JVM still rejects (it checks every jar of the class path and its own build)
 * only costs start-up time: the JVM warns once in the service's log and loads the classes from the
 * jars. Flight Recorder and Java agents run without the archive (OpenJDK 17 crashes when Flight
 * Recorder's class hooks meet a dynamic archive).
 *
 * <p>Not thread-safe per service; services are prepared on the launcher's thread.
 */
final class ServiceJvm {

  /**
   * Default JVM options per service. Every service runs with C2 (the stack's services are
   * long-lived, throughput-bound consumers and producers; C1 alone runs their hot loops 2-3 times
   * slower) and a heap bound sized for the local stack.
   */
  private static final Map<String, List<String>> DEFAULTS =
      Map.of(
          // Latency-bound (REST and SSE): G1 keeps pauses short as the heap fills with open
          // streams.
          "api-gateway",
          List.of("-Xmx384m", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20"),
          // Throughput-bound backfill: the parallel collector uses both cores while paused and runs
          // nothing concurrently with the ingest and fetch threads; the heap holds one transaction
          // of up to 20,000 records plus the log ranges fetched ahead.
          "indexer-service",
          List.of("-Xmx320m", "-XX:+UseParallelGC"),
          // Batch work (balance cycles, reserve snapshots) and consumers: throughput collectors.
          "oracle-service",
          List.of("-Xmx256m", "-XX:+UseParallelGC"),
          "emergency-burn-service",
          List.of("-Xmx256m", "-XX:+UseParallelGC"),
          "yield-service",
          List.of("-Xmx256m", "-XX:+UseParallelGC"));

  /** For a service without an entry of its own. */
  private static final List<String> FALLBACK = List.of("-Xmx256m", "-XX:+UseParallelGC");

  private static final Duration EXTRACT_TIMEOUT = Duration.ofMinutes(2);

  private final String name;
  private final Path recording;
  private final Path archive;
  private final List<String> arguments;

  private ServiceJvm(String name, List<String> arguments, Path recording, Path archive) {
    this.name = name;
    this.arguments = List.copyOf(arguments);
    this.recording = recording;
    this.archive = archive;
  }

  /** The default options of {@code service} (what {@code --service-java-options} replaces). */
  static List<String> defaultOptions(String service) {
    return DEFAULTS.getOrDefault(service, FALLBACK);
  }

  /**
   * The options a service runs with: {@code options} replace the service's defaults as soon as one
   * of them is not a system property ({@code -D...}); system properties alone are added to the
   * defaults (settings for the application, not a choice of heap, collector or compiler).
   */
  static List<String> effectiveOptions(String service, List<String> options) {
    if (options.stream().anyMatch(o -> !o.startsWith("-D"))) {
      return List.copyOf(options);
    }
    List<String> effective = new ArrayList<>(defaultOptions(service));
    effective.addAll(options);
    return List.copyOf(effective);
  }

  /** The defaults of every service, for the help text. */
  static String describeDefaults() {
    StringBuilder text = new StringBuilder();
    DEFAULTS.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e ->
                text.append(text.length() == 0 ? "" : "; ")
                    .append(e.getKey())
                    .append(": '")
                    .append(String.join(" ", e.getValue()))
                    .append("'"));
    return text.toString();
  }

  /**
   * Prepares the start of {@code service} from {@code jar}: extracts it into {@code appsDir} if
   * this build is not extracted yet, and chooses the archive flag.
   *
   * @param service the service's name (its archive and extracted copy)
   * @param module the module whose jar it runs (its default options)
   * @param options the JVM options (see {@link #effectiveOptions})
   * @param log where the extraction's output goes (the service's log)
   */
  static ServiceJvm prepare(
      String service, String module, Path jar, List<String> options, Path appsDir, Path log) {
    // A replica (e.g. api-gateway-2) runs with its module's options, archive and copy of its own.
    List<String> jvmOptions = effectiveOptions(module, options);
    List<String> arguments = new ArrayList<>();
    if (hasAotCode(jar)) {
      // Before the options, so a -Dspring.aot.enabled=false among them wins.
      arguments.add("-Dspring.aot.enabled=true");
    }
    Path app = extracted(service, jar, appsDir, log);
    Path recording = null;
    Path archive = null;
    if (app != null && sharingAllowed(jvmOptions)) {
      archive = appsDir.resolve(service + ".jsa");
      Path candidate = appsDir.resolve(service + ".jsa.recording");
      deleteQuietly(candidate);
      if (Files.isRegularFile(archive)) {
        arguments.add("-XX:SharedArchiveFile=" + archive);
      } else {
        recording = candidate;
        arguments.add("-XX:ArchiveClassesAtExit=" + recording);
      }
    }
    arguments.addAll(jvmOptions);
    arguments.add("-XX:+ExitOnOutOfMemoryError");
    arguments.add("-jar");
    arguments.add((app != null ? app : jar).toString());
    return new ServiceJvm(service, arguments, recording, archive);
  }

  /** The JVM's arguments: flags, options and {@code -jar <jar>}. */
  List<String> arguments() {
    return arguments;
  }

  /**
   * After the process ended: keeps the archive it recorded if it stopped gracefully, else throws
   * the recording away (it may be partly written).
   */
  void stopped(boolean graceful) {
    if (recording == null) {
      return;
    }
    try {
      if (graceful && Files.isRegularFile(recording) && Files.size(recording) > 0) {
        Files.move(recording, archive, StandardCopyOption.ATOMIC_MOVE);
      } else {
        Files.deleteIfExists(recording);
      }
    } catch (IOException e) {
      deleteQuietly(recording);
    }
  }

  @Override
  public String toString() {
    return name + " " + String.join(" ", arguments);
  }

  private static boolean sharingAllowed(List<String> options) {
    return options.stream()
        .noneMatch(
            o ->
                o.startsWith("-XX:StartFlightRecording")
                    || o.equals("-XX:+FlightRecorder")
                    || o.startsWith("-agent")
                    || o.startsWith("-javaagent")
                    || o.startsWith("-Xshare")
                    || o.startsWith("-XX:SharedArchiveFile")
                    || o.startsWith("-XX:ArchiveClassesAtExit"));
  }

  /** Whether Spring AOT processed the jar's application (its context initializer is in it). */
  static boolean hasAotCode(Path jar) {
    try (JarFile file = new JarFile(jar.toFile())) {
      String start = file.getManifest().getMainAttributes().getValue("Start-Class");
      return start != null
          && file.getEntry(
                  "BOOT-INF/classes/"
                      + start.replace('.', '/')
                      + "__ApplicationContextInitializer.class")
              != null;
    } catch (IOException | RuntimeException unreadable) {
      return false;
    }
  }

  /**
   * The application jar of the extracted {@code jar} (its libraries beside it in {@code lib/}), or
   * null when extracting failed (the service then runs from the jar itself, without an archive).
   */
  private static Path extracted(String service, Path jar, Path appsDir, Path log) {
    Path dir = appsDir.resolve(service);
    Path stamp = appsDir.resolve(service + ".source");
    Properties source = source(jar);
    try {
      if (!source.equals(read(stamp)) || !Files.isRegularFile(dir.resolve(jar.getFileName()))) {
        // A new build (or JVM): its classes differ, so its archive is of no use either.
        deleteTree(dir);
        Files.deleteIfExists(stamp);
        Files.deleteIfExists(appsDir.resolve(service + ".jsa"));
        Files.createDirectories(appsDir);
        if (!extract(jar, dir, log)) {
          deleteTree(dir);
          return null;
        }
        try (OutputStream out = Files.newOutputStream(stamp)) {
          source.store(out, "the build of " + service + " extracted beside this file");
        }
      }
      return dir.resolve(jar.getFileName());
    } catch (IOException | UncheckedIOException e) {
      return null;
    }
  }

  static Properties source(Path jar) {
    Properties source = new Properties();
    try {
      source.setProperty("jar", jar.toAbsolutePath().toString());
      source.setProperty("size", Long.toString(Files.size(jar)));
      source.setProperty("modified", Long.toString(Files.getLastModifiedTime(jar).toMillis()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    source.setProperty("java", System.getProperty("java.home"));
    source.setProperty("java.vm.version", System.getProperty("java.vm.version"));
    return source;
  }

  private static Properties read(Path stamp) {
    Properties stored = new Properties();
    if (Files.isRegularFile(stamp)) {
      try (InputStream in = Files.newInputStream(stamp)) {
        stored.load(in);
      } catch (IOException unreadable) {
        return new Properties();
      }
    }
    return stored;
  }

  /** Spring Boot's own extraction: the application jar plus {@code lib/}. */
  private static boolean extract(Path jar, Path dir, Path log) throws IOException {
    Files.createDirectories(log.getParent());
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Djarmode=tools",
            "-jar",
            jar.toString(),
            "extract",
            "--destination",
            dir.toString());
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    try {
      if (!process.waitFor(EXTRACT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        return false;
      }
      return process.exitValue() == 0 && Files.isRegularFile(dir.resolve(jar.getFileName()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return false;
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // Only a stale recording; it is never mapped.
    }
  }
}
