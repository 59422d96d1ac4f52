package com.reservebtc.oracle.sync;

import com.reservebtc.oracle.OracleProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs {@link SyncCycle} on one thread with a fixed pause between the end of a cycle and the start
 * of the next ({@code rbtc.oracle.cycle-interval}), starting once the application is up and
 * stopping, after the running cycle, before Kafka and the database close.
 *
 * <p>A cycle that throws is logged and the next one runs as scheduled; the loop never dies
 * silently.
 */
@Component
class SyncScheduler implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(SyncScheduler.class);
  private static final long STOP_WAIT_SECONDS = 60;

  private final SyncCycle cycle;
  private final OracleProperties properties;
  private final Timer cycleTimer;
  private ScheduledExecutorService executor;

  SyncScheduler(SyncCycle cycle, OracleProperties properties, MeterRegistry meters) {
    this.cycle = cycle;
    this.properties = properties;
    this.cycleTimer =
        Timer.builder("rbtc.oracle.cycle").description("one sync cycle").register(meters);
  }

  @Override
  public synchronized void start() {
    if (!properties.syncEnabled()) {
      log.info("Sync cycle disabled (rbtc.oracle.sync-enabled=false)");
      return;
    }
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "oracle-sync");
              t.setDaemon(true);
              return t;
            });
    executor.scheduleWithFixedDelay(
        this::runSafely, 0, properties.cycleInterval().toMillis(), TimeUnit.MILLISECONDS);
    log.info("Sync cycle started, every {}", properties.cycleInterval());
  }

  private void runSafely() {
    try {
      cycleTimer.record(cycle::run);
    } catch (RuntimeException e) {
      log.error("Sync cycle failed; the next cycle runs as scheduled", e);
    }
  }

  @Override
  public synchronized void stop() {
    if (executor == null) {
      return;
    }
    executor.shutdown();
    try {
      if (!executor.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
        log.warn("Sync cycle did not finish within {} s; interrupting it", STOP_WAIT_SECONDS);
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
    executor = null;
    log.info("Sync cycle stopped");
  }

  @Override
  public synchronized boolean isRunning() {
    return executor != null;
  }
}
