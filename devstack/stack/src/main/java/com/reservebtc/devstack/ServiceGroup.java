package com.reservebtc.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The services of the stack: started together, waited for together, stopped together.
 *
 * <p>Guarantees: {@link #startAll} returns only when every service answered its readiness probe and
 * fails on the first one that exits or times out; a service keeps its port and environment across
 * {@link #restart}. Thread-safe.
 */
final class ServiceGroup {

  private final Path repoRoot;
  private final String version;
  private final DevStackOptions options;
  private final DataDirectory dataDir;
  private final PidRegistry pids;
  private final StopList stopList;
  private final Progress progress;
  private final Map<String, ServiceProcess> running = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> environments = new LinkedHashMap<>();

  ServiceGroup(
      Path repoRoot,
      String version,
      DevStackOptions options,
      DataDirectory dataDir,
      PidRegistry pids,
      StopList stopList,
      Progress progress) {
    this.repoRoot = repoRoot;
    this.version = version;
    this.options = options;
    this.dataDir = dataDir;
    this.pids = pids;
    this.stopList = stopList;
    this.progress = progress;
  }

  /** Fails before anything starts if a service has not been built. */
  static void requireJars(List<ServiceSpec> specs, Path repoRoot, String version) {
    for (ServiceSpec spec : specs) {
      Path jar = spec.jar(repoRoot, version);
      if (!Files.isRegularFile(jar)) {
        throw ServiceProcess.missingJar(spec, jar);
      }
    }
  }

  /** Starts the services concurrently and waits until all are ready. */
  void startAll(List<ServiceSpec> specs, Supplier<ServiceEnvironment.Endpoints> endpoints) {
    if (specs.isEmpty()) {
      return;
    }
    // Every port first: a service's environment may name another's (the gateway the oracle's).
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (ServiceSpec spec : specs) {
      ports.put(spec.name(), Ports.resolve(options.servicePort(spec)));
    }
    List<ServiceProcess> started = new ArrayList<>();
    for (ServiceSpec spec : specs) {
      started.add(launch(spec, ports.get(spec.name()), endpoints, ports));
    }
    Progress.Step step =
        progress.begin(
            "waiting for "
                + started.size()
                + " services to become ready (up to "
                + options.serviceTimeout().toSeconds()
                + " s each)");
    ExecutorService waiters = Executors.newFixedThreadPool(started.size());
    try {
      ExecutorCompletionService<ServiceProcess> completion =
          new ExecutorCompletionService<>(waiters);
      long begin = System.nanoTime();
      for (ServiceProcess service : started) {
        completion.submit(
            () -> {
              service.awaitReady(options.serviceTimeout());
              return service;
            });
      }
      for (int i = 0; i < started.size(); i++) {
        ServiceProcess ready = completion.take().get();
        progress.line(
            ready.name()
                + " ready at "
                + ready.baseUrl()
                + " ("
                + Progress.seconds(System.nanoTime() - begin)
                + ")");
      }
      step.ok();
    } catch (ExecutionException e) {
      step.failed();
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new DevStackException("waiting for the services failed: " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevStackException("interrupted while waiting for the services", e);
    } finally {
      waiters.shutdownNow();
    }
  }

  /**
   * Stops every running service in parallel (SIGTERM, SIGKILL after 10 s each); waits for all of
   * them even if one fails.
   */
  void stopAll() {
    List<CompletableFuture<Void>> stops = new ArrayList<>();
    for (ServiceProcess service : snapshot()) {
      if (!service.process().isAlive()) {
        pids.remove(service.process().pid());
        continue;
      }
      Progress.Step step =
          progress.begin("stopping " + service.name() + " (pid " + service.process().pid() + ")");
      stops.add(
          CompletableFuture.runAsync(
              () -> {
                boolean graceful = service.stop();
                pids.remove(service.process().pid());
                step.ok(graceful ? "stopped" : "killed after 10 s");
              }));
    }
    RuntimeException failure = null;
    for (CompletableFuture<Void> stop : stops) {
      try {
        stop.join();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  List<ServiceProcess> snapshot() {
    synchronized (running) {
      return new ArrayList<>(running.values());
    }
  }

  ServiceProcess get(String name) {
    synchronized (running) {
      ServiceProcess service = running.get(name);
      if (service == null) {
        throw new IllegalArgumentException(
            "the stack runs no service named " + name + "; it runs " + running.keySet());
      }
      return service;
    }
  }

  void kill(String name) {
    ServiceProcess service = get(name);
    service.process().kill();
    pids.remove(service.process().pid());
  }

  void stop(String name) {
    ServiceProcess service = get(name);
    service.stop();
    pids.remove(service.process().pid());
  }

  /** Starts a stopped service again with the same port and environment, and waits for it. */
  ServiceProcess restart(String name) {
    ServiceProcess old = get(name);
    if (old.process().isAlive()) {
      throw new IllegalStateException(name + " is still running (pid " + old.process().pid() + ")");
    }
    ServiceProcess started =
        launch(
            old.spec(),
            old.port(),
            () -> {
              throw new IllegalStateException("the environment of " + name + " is known");
            },
            Map.of());
    started.awaitReady(options.serviceTimeout());
    return started;
  }

  private ServiceProcess launch(
      ServiceSpec spec,
      int port,
      Supplier<ServiceEnvironment.Endpoints> endpoints,
      Map<String, Integer> ports) {
    Map<String, String> env;
    synchronized (running) {
      env =
          environments.computeIfAbsent(
              spec.name(), n -> ServiceEnvironment.of(spec, port, endpoints.get(), ports));
    }
    ServiceProcess service =
        ServiceProcess.start(
            spec,
            spec.jar(repoRoot, version),
            port,
            options.serviceJavaOptions(),
            env,
            repoRoot,
            dataDir.log(spec.name()),
            dataDir.apps());
    synchronized (running) {
      running.put(spec.name(), service);
    }
    stopList.child(service.process());
    pids.add(spec.name(), service.process().handle());
    progress.line(
        "started "
            + spec.name()
            + " on port "
            + port
            + ", pid "
            + service.process().pid()
            + ", log "
            + service.process().logFile());
    return service;
  }
}
