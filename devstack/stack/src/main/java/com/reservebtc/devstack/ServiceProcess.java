package com.reservebtc.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One service running as {@code java -jar} in a child process, its output in {@code
 * <data-dir>/logs/<name>.log}.
 *
 * <p>Guarantees: {@link #awaitReady} returns only once {@code /actuator/health/readiness} answered
 * 200; it fails early, naming the log file, when the process exits or the timeout passes. It does
 * not restart a service that dies later.
 */
final class ServiceProcess {

  static final String READINESS_PATH = "/actuator/health/readiness";
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final ServiceSpec spec;
  private final int port;
  private final Path jar;
  private final ChildProcess process;
  private final ServiceJvm jvm;

  private ServiceProcess(
      ServiceSpec spec, int port, Path jar, ChildProcess process, ServiceJvm jvm) {
    this.spec = spec;
    this.port = port;
    this.jar = jar;
    this.process = process;
    this.jvm = jvm;
  }

  /**
   * Starts the service; returns at once (see {@link #awaitReady}).
   *
   * @param javaOptions the JVM options ({@link ServiceJvm#effectiveOptions})
   * @param appsDir where the jar is extracted and its class-data sharing archive kept
   */
  static ServiceProcess start(
      ServiceSpec spec,
      Path jar,
      int port,
      List<String> javaOptions,
      Map<String, String> env,
      Path workingDir,
      Path logFile,
      Path appsDir) {
    if (!Files.isRegularFile(jar)) {
      throw missingJar(spec, jar);
    }
    ServiceJvm jvm =
        ServiceJvm.prepare(spec.name(), spec.module(), jar, javaOptions, appsDir, logFile);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvm.arguments());
    ChildProcess process =
        ChildProcess.start(
            spec.name(), command, env, ServiceEnvironment.NEVER_INHERITED, workingDir, logFile);
    return new ServiceProcess(spec, port, jar, process, jvm);
  }

  static DevStackException missingJar(ServiceSpec spec, Path jar) {
    return new DevStackException(
        spec.name()
            + " is not built: "
            + jar
            + " does not exist. Build the services first with `mvn -B -DskipTests install` in the"
            + " repository root (or start with devstack/run --build).");
  }

  ServiceSpec spec() {
    return spec;
  }

  String name() {
    return spec.name();
  }

  int port() {
    return port;
  }

  Path jar() {
    return jar;
  }

  String baseUrl() {
    return "http://" + Ports.LOOPBACK + ":" + port;
  }

  ChildProcess process() {
    return process;
  }

  /** Polls the readiness probe until it answers 200. */
  void awaitReady(Duration timeout) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl() + READINESS_PATH))
            .timeout(Duration.ofSeconds(2))
            .GET()
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    int lastStatus = -1;
    while (true) {
      if (!process.isAlive()) {
        throw new DevStackException(
            spec.name()
                + " exited with code "
                + process.exitValue()
                + " before it was ready; see "
                + process.logFile()
                + ". Last lines:\n"
                + process.logTail(25));
      }
      try {
        HttpResponse<Void> response = HTTP.send(request, HttpResponse.BodyHandlers.discarding());
        lastStatus = response.statusCode();
        if (lastStatus == 200) {
          return;
        }
      } catch (IOException notListeningYet) {
        // keep polling until the deadline
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DevStackException("interrupted while waiting for " + spec.name(), e);
      }
      if (System.nanoTime() > deadline) {
        throw new DevStackException(
            spec.name()
                + " was not ready within "
                + timeout.toSeconds()
                + " s ("
                + (lastStatus == -1
                    ? "nothing answered on port " + port
                    : READINESS_PATH + " answered " + lastStatus)
                + "); see "
                + process.logFile());
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DevStackException("interrupted while waiting for " + spec.name(), e);
      }
    }
  }

  /** SIGTERM (Spring's graceful shutdown), then SIGKILL after 10 s; true if graceful. */
  boolean stop() {
    boolean graceful = process.stop(STOP_GRACE);
    jvm.stopped(graceful);
    return graceful;
  }
}
