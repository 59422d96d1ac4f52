package com.reservebtc.indexer.ingest;

import com.reservebtc.indexer.chain.ChainClient;
import com.reservebtc.indexer.config.IndexerProperties;
import com.reservebtc.indexer.decode.LogDecodingException;
import com.reservebtc.indexer.publish.ChainPublisher;
import com.reservebtc.indexer.publish.CursorReader;
import com.reservebtc.indexer.publish.FencedOutException;
import com.reservebtc.indexer.publish.PublishFailedException;
import com.reservebtc.indexer.reorg.ReorgTooDeepException;
import com.reservebtc.indexer.status.IndexerMetrics;
import com.reservebtc.indexer.status.IndexerMetrics.State;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the indexer on one dedicated thread: verify the chain id (refusing to start on a mismatch),
 * fence earlier instances and read the committed cursor, then pass after pass until stopped.
 *
 * <p>Transient failures (node, broker) are retried with a capped exponential back-off; after a
 * failed Kafka transaction the state is re-read from Kafka before the next pass, never guessed.
 * Fatal conditions (fenced by a newer instance, a reorg deeper than the window, an undecodable log
 * of a configured contract) stop the loop and turn health DOWN; they need an operator.
 */
final class IngestLoop implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(IngestLoop.class);

  private final IndexerProperties properties;
  private final ChainClient chain;
  private final Ingestor ingestor;
  private final ChainPublisher publisher;
  private final CursorReader cursorReader;
  private final IndexerMetrics metrics;
  private final CountDownLatch stopSignal = new CountDownLatch(1);
  private volatile boolean running;
  private Thread thread;

  IngestLoop(
      IndexerProperties properties,
      ChainClient chain,
      Ingestor ingestor,
      ChainPublisher publisher,
      CursorReader cursorReader,
      IndexerMetrics metrics) {
    this.properties = properties;
    this.chain = chain;
    this.ingestor = ingestor;
    this.publisher = publisher;
    this.cursorReader = cursorReader;
    this.metrics = metrics;
  }

  @Override
  public void start() {
    verifyChainId();
    running = true;
    thread = new Thread(this::run, "indexer-ingest-" + properties.chain().id());
    thread.start();
  }

  /** Lets the current pass finish (its transaction commits or aborts as a whole), then stops. */
  @Override
  public void stop() {
    running = false;
    stopSignal.countDown();
    Thread current = thread;
    if (current != null) {
      try {
        current.join(TimeUnit.SECONDS.toMillis(30));
        if (current.isAlive()) {
          log.warn("Ingest thread did not stop within 30 s; interrupting it");
          current.interrupt();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (metrics.state() != State.FAILED) {
      metrics.state(State.STOPPED, null);
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  private void verifyChainId() {
    long expected = properties.chain().id();
    long actual;
    try {
      actual = chain.chainId();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot verify the chain id at "
              + properties.chain().rpcUrl()
              + " (RBTC_CHAIN_RPC_URL): "
              + e.getMessage(),
          e);
    }
    if (actual != expected) {
      throw new IllegalStateException(
          "the node at "
              + properties.chain().rpcUrl()
              + " serves chain id "
              + actual
              + " but rbtc.chain.id (RBTC_CHAIN_ID) is "
              + expected
              + "; refusing to index the wrong chain");
    }
    log.info("Chain {} verified at {}", expected, properties.chain().rpcUrl());
  }

  private void run() {
    boolean needsRecovery = true;
    int failures = 0;
    while (running) {
      try {
        if (needsRecovery) {
          publisher.fence();
          ingestor.resume(cursorReader.read());
          needsRecovery = false;
          metrics.state(State.RUNNING, null);
        }
        boolean caughtUp = ingestor.step();
        failures = 0;
        if (caughtUp) {
          pause(properties.indexer().pollInterval());
        }
      } catch (FencedOutException | ReorgTooDeepException | LogDecodingException e) {
        if (!running) {
          return;
        }
        log.error("Indexing of chain {} stopped: {}", properties.chain().id(), e.getMessage(), e);
        metrics.state(State.FAILED, e.getMessage());
        running = false;
        return;
      } catch (ChainMovedException e) {
        log.info("Chain moved during a pass, retrying: {}", e.getMessage());
        pause(properties.indexer().pollInterval());
      } catch (RuntimeException e) {
        if (!running) {
          return;
        }
        if (e instanceof PublishFailedException) {
          needsRecovery = true;
        }
        failures++;
        Duration backoff = backoff(failures);
        log.warn(
            "Indexing pass failed (attempt {}), retrying in {} ms: {}",
            failures,
            backoff.toMillis(),
            describe(e));
        pause(backoff);
      }
    }
  }

  private Duration backoff(int failures) {
    Duration max = properties.indexer().maxRetryBackoff();
    Duration next = properties.indexer().pollInterval().multipliedBy(1L << Math.min(failures, 16));
    return next.compareTo(max) > 0 ? max : next;
  }

  private void pause(Duration duration) {
    try {
      stopSignal.await(duration.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private static String describe(Throwable e) {
    StringBuilder text = new StringBuilder(e.toString());
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      text.append(" <- ").append(cause);
    }
    return text.toString();
  }
}
