package com.reservebtc.indexer.reconcile;

import com.reservebtc.indexer.chain.BlockHeader;
import com.reservebtc.indexer.chain.ChainClient;
import com.reservebtc.indexer.chain.ChainClient.LogSlice;
import com.reservebtc.indexer.chain.RawLog;
import com.reservebtc.indexer.config.IndexerProperties;
import com.reservebtc.indexer.coverage.Coverage;
import com.reservebtc.indexer.decode.ChainRecord;
import com.reservebtc.indexer.decode.LogDecoder;
import com.reservebtc.indexer.reorg.WindowBlock;
import com.reservebtc.indexer.status.IndexerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * Re-reads the newest indexed blocks ({@code rbtc.indexer.reconcile-blocks}, within the reorg
 * window) from the node every {@code reconcile-interval} and compares them, event by event, with
 * the records published for them (the committed reorg window). A mismatch is logged as an error and
 * counted; it means something was lost or invented and needs an operator.
 *
 * <p>Runs on its own thread against an immutable snapshot of the committed state; never blocks
 * indexing. Logs of contracts still catching up are left out of the comparison (only what the main
 * pass publishes for these blocks is compared).
 */
@Component
public class Reconciler implements InitializingBean, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

  private final ChainClient chain;
  private final LogDecoder decoder;
  private final IndexerMetrics metrics;
  private final int blocks;
  private final Duration interval;
  private final AtomicReference<Reconciliation> last = new AtomicReference<>();
  private final MeterRegistry registry;
  private final String chainTag;
  private ScheduledExecutorService scheduler;

  Reconciler(
      ChainClient chain,
      LogDecoder decoder,
      IndexerMetrics metrics,
      IndexerProperties properties,
      MeterRegistry registry) {
    this.chain = chain;
    this.decoder = decoder;
    this.metrics = metrics;
    this.blocks = properties.reconcileBlocks();
    this.interval = properties.indexer().reconcileInterval();
    this.registry = registry;
    this.chainTag = Long.toString(properties.chain().id());
    Gauge.builder("rbtc.indexer.reconcile.mismatch", last, r -> mismatchOf(r.get()))
        .description("1 if the last reconciliation found published events differing from the node")
        .tag("chain", chainTag)
        .register(registry);
  }

  @Override
  public void afterPropertiesSet() {
    if (interval.isZero()) {
      return;
    }
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "indexer-reconcile");
              t.setDaemon(true);
              return t;
            });
    scheduler.scheduleWithFixedDelay(
        this::runQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void destroy() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }

  /** The last result, or null if none ran yet. */
  public Reconciliation last() {
    return last.get();
  }

  /** Compares now and remembers the result. */
  public synchronized Reconciliation reconcileNow() {
    Reconciliation result;
    try {
      result = reconcile();
    } catch (RuntimeException e) {
      result = Reconciliation.failed(e.toString());
    }
    Reconciliation previous = last.getAndSet(result);
    Counter.builder("rbtc.indexer.reconcile.runs")
        .description("Reconciliations by outcome")
        .tag("chain", chainTag)
        .tag("outcome", result.outcome())
        .register(registry)
        .increment();
    if (result.outcome().equals("MISMATCH")) {
      log.error(
          "Reconciliation of blocks {}..{} found differences from the node: {}; missing {},"
              + " unexpected {}",
          result.fromBlock(),
          result.toBlock(),
          result.detail(),
          result.missing(),
          result.unexpected());
    } else if (previous != null && !previous.outcome().equals(result.outcome())) {
      log.info(
          "Reconciliation of blocks {}..{}: {}",
          result.fromBlock(),
          result.toBlock(),
          result.outcome());
    }
    return result;
  }

  private void runQuietly() {
    try {
      reconcileNow();
    } catch (RuntimeException e) {
      log.warn("Reconciliation failed: {}", e.toString());
    }
  }

  private Reconciliation reconcile() {
    IndexerMetrics.Committed committed = metrics.committed();
    if (committed == null || committed.chain().window().isEmpty()) {
      return Reconciliation.nothingToCheck("no indexed blocks in the reorg window yet");
    }
    List<WindowBlock> window = committed.chain().window();
    window = window.subList(Math.max(0, window.size() - blocks), window.size());
    Coverage coverage = committed.coverage();
    long from = window.get(0).number();
    long to = window.get(window.size() - 1).number();
    LogSlice slice =
        chain.logSlice(
            from,
            to,
            coverage.liveAddresses(to),
            decoder.topic0s(),
            LongStream.rangeClosed(from, to).boxed().toList());
    for (WindowBlock block : window) {
      BlockHeader header = slice.headers().get(block.number());
      if (header == null || !header.hash().equals(block.hash())) {
        return Reconciliation.chainMoved(
            from,
            to,
            "block "
                + block.number()
                + " is "
                + (header == null ? "missing" : header.hash())
                + " on the node but "
                + block.hash()
                + " in the index");
      }
    }
    List<ChainRecord> node = new ArrayList<>();
    for (RawLog raw : slice.logs()) {
      if (coverage.publishesLive(raw.address(), raw.blockNumber())) {
        BlockHeader header = slice.headers().get(raw.blockNumber());
        decoder.decode(raw, header.timestamp()).ifPresent(node::add);
      }
    }
    return Reconciliation.compare(window, node);
  }

  private static double mismatchOf(Reconciliation r) {
    return r != null && r.outcome().equals("MISMATCH") ? 1 : 0;
  }
}
