package com.reservebtc.indexer.ingest;

import com.reservebtc.indexer.chain.ChainClient;
import com.reservebtc.indexer.chain.NewHeads;
import com.reservebtc.indexer.config.IndexerProperties;
import com.reservebtc.indexer.coverage.CoverageRepository;
import com.reservebtc.indexer.decode.LogDecodingException;
import com.reservebtc.indexer.publish.ChainPublisher;
import com.reservebtc.indexer.publish.CursorReader;
import com.reservebtc.indexer.publish.CursorTooLargeException;
import com.reservebtc.indexer.publish.FencedOutException;
import com.reservebtc.indexer.publish.PublishFailedException;
import com.reservebtc.indexer.publish.Recovered;
import com.reservebtc.indexer.reorg.ReorgTooDeepException;
import com.reservebtc.indexer.status.IndexerMetrics;
import com.reservebtc.indexer.status.IndexerMetrics.State;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the indexer on one dedicated thread: verify the chain id (refusing to start on a mismatch),
 * fence earlier instances and read the committed cursor and its coverage, then pass after pass
 * until stopped, sleeping between passes until a new head is announced (WebSocket) or the poll
 * interval ends.
 *
 * <p>Transient failures (node, broker, database) are retried with a capped exponential back-off;
 * after a failed Kafka transaction the state is re-read from Kafka before the next pass, never
 * guessed. A cursor too large for the broker stalls the loop (health DOWN, retried) until an
 * operator raises the limit. Fatal conditions (fenced by a newer instance, a reorg deeper than the
 * window, an undecodable log of a configured contract) stop the loop and turn health DOWN; they
 * need an operator.
 */
final class IngestLoop implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(IngestLoop.class);

  private final IndexerProperties properties;
  private final ChainClient chain;
  private final Ingestor ingestor;
  private final ChainPublisher publisher;
  private final CursorReader cursorReader;
  private final CoverageRepository coverageRepository;
  private final IndexerMetrics metrics;
  private final HeadTracker heads;
  private final NewHeads newHeads;
  private final CountDownLatch stopSignal = new CountDownLatch(1);
  private volatile boolean running;
  private Thread thread;

  IngestLoop(
      IndexerProperties properties,
      ChainClient chain,
      Ingestor ingestor,
      ChainPublisher publisher,
      CursorReader cursorReader,
      CoverageRepository coverageRepository,
      IndexerMetrics metrics) {
    this.properties = properties;
    this.chain = chain;
    this.ingestor = ingestor;
    this.publisher = publisher;
    this.cursorReader = cursorReader;
    this.coverageRepository = coverageRepository;
    this.metrics = metrics;
    this.heads = new HeadTracker(properties.indexer().livePollInterval());
    List<String> webSockets = properties.chain().webSocketEndpoints();
    this.newHeads =
        webSockets.isEmpty()
            ? null
            : new NewHeads(
                webSockets,
                properties.indexer().maxWebsocketBackoff(),
                new NewHeads.Listener() {
                  @Override
                  public void onHead(long number, long receivedNanos) {
                    heads.onHead(number, receivedNanos);
                  }

                  @Override
                  public void onLive(boolean live, String endpoint, String reason) {
                    metrics.webSocket(live, endpoint);
                    heads.onLive(live, endpoint, reason);
                  }
                });
  }

  @Override
  public void start() {
    verifyChainId();
    running = true;
    if (newHeads != null) {
      newHeads.start();
    } else {
      log.info("WebSocket disabled (rbtc.chain.websocket=false); polling for new heads");
    }
    thread = new Thread(this::run, "indexer-ingest-" + properties.chain().id());
    thread.start();
  }

  /** Lets the current pass finish (its transaction commits or aborts as a whole), then stops. */
  @Override
  public void stop() {
    running = false;
    stopSignal.countDown();
    heads.stop();
    if (newHeads != null) {
      newHeads.close();
    }
    // A pass waiting for a node that is down gives up now; one publishing finishes its transaction.
    chain.close();
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
    ingestor.close();
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
    String endpoints = String.join(", ", chain.endpointNames());
    long actual;
    try {
      actual = chain.chainId();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot verify the chain id at "
              + endpoints
              + " (RBTC_CHAIN_RPC_URL / RBTC_CHAIN_RPC_URLS): "
              + e.getMessage(),
          e);
    }
    if (actual != expected) {
      throw new IllegalStateException(
          "the node at "
              + endpoints
              + " serves chain id "
              + actual
              + " but rbtc.chain.id (RBTC_CHAIN_ID) is "
              + expected
              + "; refusing to index the wrong chain");
    }
    log.info("Chain {} verified at {}", expected, endpoints);
  }

  private void run() {
    boolean needsRecovery = true;
    int failures = 0;
    String stalledBy = null;
    while (running) {
      try {
        if (needsRecovery) {
          recover();
          needsRecovery = false;
        }
        HeadTracker.Head head = heads.current(chain);
        boolean caughtUp = ingestor.step(head);
        failures = 0;
        if (stalledBy != null || metrics.state() != State.RUNNING) {
          if (stalledBy != null) {
            log.info("Indexing of chain {} resumed", properties.chain().id());
          }
          stalledBy = null;
          metrics.state(State.RUNNING, null);
        }
        if (caughtUp) {
          heads.awaitNewHead(head.number(), properties.indexer().pollInterval());
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
        heads.pollNext();
        pause(properties.indexer().pollInterval());
      } catch (CursorTooLargeException e) {
        needsRecovery = true;
        if (!Objects.equals(stalledBy, e.getMessage())) {
          log.error("Indexing of chain {} stalled: {}", properties.chain().id(), e.getMessage());
          stalledBy = e.getMessage();
        }
        metrics.state(State.STALLED, e.getMessage());
        pause(properties.indexer().maxRetryBackoff());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
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

  private void recover() {
    publisher.fence();
    Recovered recovered = cursorReader.read();
    CoverageRepository.Stored stored =
        recovered.cursorDigest() == null
            ? null
            : coverageRepository
                .find(properties.chain().id(), recovered.cursorDigest(), recovered.chain().tip())
                .orElse(null);
    publisher.resumeAfter(recovered, stored == null ? 0 : stored.seq());
    ingestor.resume(recovered, stored == null ? null : stored.coverage());
    if (metrics.state() != State.STALLED) {
      metrics.state(State.RUNNING, null);
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
