package com.reservebtc.devstack.chaos;

import com.reservebtc.devstack.DevStack;
import com.reservebtc.devstack.chaos.FaultPlan.Component;
import com.reservebtc.devstack.chaos.FaultPlan.ComponentFault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;

/**
 * Carries out the components' timeline of a {@link FaultPlan} on a running {@link DevStack}: kill
 * -9 by PID (services, the broker, PostgreSQL's postmaster), a pause, then a restart on the same
 * ports and data (PostgreSQL first, then the broker, then the services in parallel, each waited for
 * until ready); and the planned PostgreSQL outage (graceful stop, the outage, start).
 *
 * <p>While the indexer or what it needs is down it holds {@code indexerLock}, so an A→B→A flip
 * never starts then (the flip needs the indexer to publish A and B).
 */
final class ComponentFaults {

  private final DevStack stack;
  private final Journal journal;
  private final Lock indexerLock;

  ComponentFaults(DevStack stack, Journal journal, Lock indexerLock) {
    this.stack = stack;
    this.journal = journal;
    this.indexerLock = indexerLock;
  }

  void run(List<ComponentFault> faults, BooleanSupplier stop) {
    for (ComponentFault fault : faults) {
      Pause.of(fault.gap());
      if (stop.getAsBoolean()) {
        return;
      }
      boolean locks = fault.targets().stream().anyMatch(Component::feedsTheIndexer);
      if (locks) {
        indexerLock.lock();
      }
      try {
        inject(fault);
      } finally {
        if (locks) {
          indexerLock.unlock();
        }
      }
    }
  }

  private void inject(ComponentFault fault) {
    Duration at = journal.elapsed();
    if (fault.outage()) {
      long pid = stack.postgresPid().orElse(-1L);
      stack.stopPostgres();
      long stopped = System.nanoTime();
      Pause.of(fault.pause());
      long downNanos = System.nanoTime() - stopped;
      long start = System.nanoTime();
      stack.restartPostgres();
      journal.fault(
          at,
          "outage",
          "PostgreSQL",
          "stopped gracefully (pid "
              + pid
              + "), away "
              + millis(downNanos)
              + " ms, started again in "
              + millis(System.nanoTime() - start)
              + " ms (pid "
              + stack.postgresPid().orElse(-1L)
              + ")",
          downNanos >= Duration.ofSeconds(10).toNanos());
      return;
    }
    List<String> killed = new ArrayList<>();
    for (Component c : fault.targets()) {
      killed.add(c.label + " pid " + pid(c));
      kill(c);
    }
    long down = System.nanoTime();
    Pause.of(fault.pause());
    List<String> restarted = new ArrayList<>();
    boolean ok = true;
    for (Component c : fault.targets()) {
      if (!c.isService()) {
        long start = System.nanoTime();
        restart(c);
        restarted.add(c.label + " in " + millis(System.nanoTime() - start) + " ms");
      }
    }
    List<CompletableFuture<String>> services = new ArrayList<>();
    for (Component c : fault.targets()) {
      if (c.isService()) {
        services.add(
            CompletableFuture.supplyAsync(
                () -> {
                  long start = System.nanoTime();
                  restart(c);
                  return c.label + " ready in " + millis(System.nanoTime() - start) + " ms";
                }));
      }
    }
    for (CompletableFuture<String> s : services) {
      try {
        restarted.add(s.join());
      } catch (RuntimeException e) {
        ok = false;
        restarted.add("a restart failed: " + e.getMessage());
      }
    }
    journal.fault(
        at,
        "kill -9",
        fault.labels(),
        String.join(", ", killed)
            + "; down "
            + millis(System.nanoTime() - down)
            + " ms; restarted: "
            + String.join(", ", restarted),
        ok);
    if (!ok) {
      throw new ChaosException("a component did not come back after kill -9: " + restarted);
    }
  }

  private long pid(Component c) {
    return switch (c) {
      case POSTGRES -> stack.postgresPid().orElse(-1L);
      case KAFKA -> stack.kafkaPid().orElse(-1L);
      default -> stack.service(c.label).pid();
    };
  }

  private void kill(Component c) {
    switch (c) {
      case POSTGRES -> stack.killPostgres();
      case KAFKA -> stack.killKafka();
      default -> stack.killService(c.label);
    }
  }

  private void restart(Component c) {
    switch (c) {
      case POSTGRES -> stack.restartPostgres();
      case KAFKA -> stack.restartKafka();
      default -> stack.restartService(c.label);
    }
  }

  private static long millis(long nanos) {
    return nanos / 1_000_000;
  }
}
