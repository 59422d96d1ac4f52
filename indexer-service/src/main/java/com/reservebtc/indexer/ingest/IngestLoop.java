package com.reservebtc.indexer.ingest;

import com.reservebtc.indexer.chain.ChainClient;
import com.reservebtc.indexer.chain.NewHeads;
import com.reservebtc.indexer.config.IndexerProperties;
import com.reservebtc.indexer.coverage.CoverageRepository;
import com.reservebtc.indexer.publish.ChainPublisher;
import com.reservebtc.indexer.publish.CursorDeletedException;
import com.reservebtc.indexer.publish.CursorReader;
import com.reservebtc.indexer.publish.FencedOutException;
import com.reservebtc.indexer.publish.PublishFailedException;
import com.reservebtc.indexer.publish.Recovered;
import com.reservebtc.indexer.reorg.ReorgTooDeepException;
import com.reservebtc.indexer.status.IndexerMetrics;
import com.reservebtc.indexer.status.IndexerMetrics.State;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
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
 * guessed, and the next transactions carry fewer records. Conditions that need an operator stall
 * the loop (health DOWN, retried, one log line per change): a reorg deeper than the reorg window
 * (the state names the rewind to run) and a deleted cursor. Only being fenced by a newer instance
 * stops it for good.
 *
 * <p>Operator rewinds ({@link #rewind}) run on the ingest thread between two passes.
 */
final class IngestLoop implements SmartLifecycle, OperatorCommands {

  private static final Duration REWIND_TIMEOUT = Duration.ofSeconds(60);

  /** A rewind asked for by an operator, answered by the ingest thread. */
  private record PendingRewind(long toBlock, CompletableFuture<Rewound> result) {}

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
  private final AtomicReference<PendingRewind> pendingRewind = new AtomicReference<>();
  private final Runnable topicCheck;
  private volatile boolean running;
  private volatile Thread thread;

  IngestLoop(
      IndexerProperties properties,
      ChainClient chain,
      Ingestor ingestor,
      ChainPublisher publisher,
      CursorReader cursorReader,
      CoverageRepository coverageRepository,
      IndexerMetrics metrics,
      Runnable topicCheck) {
    this.properties = properties;
    this.topicCheck = topicCheck;
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
    topicCheck.run();
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
    Thread sleeping = thread;
    if (sleeping != null) {
      LockSupport.unpark(sleeping);
    }
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

  @Override
  public Rewound rewind(long toBlock) {
    if (!running) {
      throw new IllegalStateException(
          "the ingest loop is not running (" + metrics.state() + "); restart the indexer");
    }
    PendingRewind pending = new PendingRewind(toBlock, new CompletableFuture<>());
    if (!pendingRewind.compareAndSet(null, pending)) {
      throw new IllegalStateException("another rewind is under way");
    }
    heads.wake();
    Thread current = thread;
    if (current != null) {
      LockSupport.unpark(current);
    }
    try {
      return pending.result().get(REWIND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw new IllegalStateException("rewind failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      pendingRewind.compareAndSet(pending, null);
      throw new IllegalStateException(
          "the rewind did not run within " + REWIND_TIMEOUT + " (the current pass is slow)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the rewind", e);
    }
  }

  /** Runs a pending rewind; true if there was one. */
  private boolean rewindIfAsked() {
    PendingRewind pending = pendingRewind.getAndSet(null);
    if (pending == null) {
      return false;
    }
    try {
      Rewound done = ingestor.rewind(pending.toBlock());
      pending.result().complete(done);
      metrics.state(State.RUNNING, null);
    } catch (IllegalArgumentException refused) {
      // Nothing was published: the operator gets the reason, indexing goes on as before.
      pending.result().completeExceptionally(refused);
    } catch (RuntimeException e) {
      pending.result().completeExceptionally(e);
      throw e;
    }
    return true;
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
        if (rewindIfAsked()) {
          stalledBy = null;
          continue;
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
      } catch (FencedOutException e) {
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
      } catch (ReorgTooDeepException | CursorDeletedException e) {
        if (!running) {
          return;
        }
        String message = e.getMessage();
        if (e instanceof ReorgTooDeepException) {
          message += ". " + adviceQuietly();
        } else {
          needsRecovery = true;
        }
        if (!Objects.equals(stalledBy, message)) {
          log.error("Indexing of chain {} stalled: {}", properties.chain().id(), message);
          stalledBy = message;
        }
        metrics.state(State.STALLED, message);
        heads.pollNext();
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
          ingestor.publishFailed();
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

  private String adviceQuietly() {
    try {
      return ingestor.rewindAdvice();
    } catch (RuntimeException e) {
      return "Could not compare the held blocks with the node (" + e.getMessage() + ")";
    }
  }

  /** Waits {@code duration}, or less when stopped or asked to rewind. */
  private void pause(Duration duration) {
    long end = System.nanoTime() + duration.toNanos();
    for (long left = duration.toNanos();
        left > 0 && running && pendingRewind.get() == null;
        left = end - System.nanoTime()) {
      LockSupport.parkNanos(this, left);
      if (Thread.interrupted()) {
        running = false;
        return;
      }
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
