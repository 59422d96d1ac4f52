package com.reservebtc.indexer.status;

import com.reservebtc.indexer.chain.BlockRef;
import com.reservebtc.indexer.chain.RpcErrorKind;
import com.reservebtc.indexer.chain.RpcObserver;
import com.reservebtc.indexer.config.IndexerProperties;
import com.reservebtc.indexer.coverage.Coverage;
import com.reservebtc.indexer.decode.ChainRecord;
import com.reservebtc.indexer.reorg.IndexedChain;
import com.reservebtc.schemas.Topic;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;

/**
 * The indexer's live progress, for Micrometer (throughput, lag, latency, RPC health) and for {@code
 * /status}. Progress is updated only by the ingest thread after a commit ({@link #committed} hands
 * over the committed chain and coverage as one snapshot); RPC and WebSocket events come from their
 * threads. Read from any thread. Counters start at zero with every process start; the per-event
 * counts in the committed coverage do not (they are stored with the cursor).
 */
@Component
public class IndexerMetrics implements RpcObserver {

  /** Ingest loop state as reported by health and status. */
  public enum State {
    STARTING,
    RUNNING,
    /** Retrying, but cannot make progress until an operator acts (see the failure message). */
    STALLED,
    STOPPED,
    FAILED
  }

  /** The committed chain and coverage, from the same commit. */
  public record Committed(IndexedChain chain, Coverage coverage) {}

  private final MeterRegistry registry;
  private final String chain;
  private final AtomicLong head = new AtomicLong(-1);
  private final AtomicReference<Committed> committed = new AtomicReference<>();
  private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);
  private final AtomicReference<String> failure = new AtomicReference<>();
  private final AtomicBoolean webSocketLive = new AtomicBoolean();
  private final AtomicReference<String> webSocketEndpoint = new AtomicReference<>();
  private final AtomicLong cursorBytes = new AtomicLong();
  private final Map<String, AtomicLong> publishedByTopic = new ConcurrentHashMap<>();
  private final Map<String, Counter> recordCounters = new ConcurrentHashMap<>();
  private final Map<String, Counter> rpcFailures = new ConcurrentHashMap<>();
  private final Counter blocks;
  private final Counter logs;
  private final Counter reorgs;
  private final Counter retractedBlocks;
  private final Counter failovers;
  private final Counter quarantined;
  private final Timer headToPublish;
  private final DistributionSummary cursorSize;

  IndexerMetrics(MeterRegistry registry, IndexerProperties properties) {
    this.registry = registry;
    this.chain = Long.toString(properties.chain().id());
    this.blocks =
        Counter.builder("rbtc.indexer.blocks")
            .description("Blocks indexed (published under a committed cursor)")
            .tag("chain", chain)
            .register(registry);
    this.logs =
        Counter.builder("rbtc.indexer.logs")
            .description("Logs read from the node and committed (rate() gives logs/s)")
            .tag("chain", chain)
            .register(registry);
    this.reorgs =
        Counter.builder("rbtc.indexer.reorgs")
            .description("Reorgs detected by parent-hash mismatch")
            .tag("chain", chain)
            .register(registry);
    this.retractedBlocks =
        Counter.builder("rbtc.indexer.blocks.retracted")
            .description("Indexed blocks orphaned by reorgs")
            .tag("chain", chain)
            .register(registry);
    this.failovers =
        Counter.builder("rbtc.indexer.rpc.failovers")
            .description("Switches from one RPC endpoint to another")
            .tag("chain", chain)
            .register(registry);
    this.quarantined =
        Counter.builder("rbtc.indexer.logs.quarantined")
            .description(
                "Logs of configured contracts that did not decode and went to the quarantine topic"
                    + " (alert on any increase)")
            .tag("chain", chain)
            .register(registry);
    this.headToPublish =
        Timer.builder("rbtc.indexer.head.publish.latency")
            .description("From first hearing of a new head block to committing its records")
            .tag("chain", chain)
            .publishPercentileHistogram()
            .publishPercentiles(0.5, 0.9, 0.99)
            .register(registry);
    this.cursorSize =
        DistributionSummary.builder("rbtc.indexer.cursor.size")
            .description("Bytes of the cursor record written with each transaction")
            .baseUnit("bytes")
            .tag("chain", chain)
            .register(registry);
    Gauge.builder("rbtc.indexer.lag.blocks", this, m -> m.lag())
        .description("Chain head minus the last indexed block")
        .tag("chain", chain)
        .register(registry);
    Gauge.builder("rbtc.indexer.head.block", head, AtomicLong::get)
        .tag("chain", chain)
        .register(registry);
    Gauge.builder("rbtc.indexer.indexed.block", this, m -> m.indexedNumber())
        .tag("chain", chain)
        .register(registry);
    Gauge.builder("rbtc.indexer.websocket.live", webSocketLive, b -> b.get() ? 1 : 0)
        .description("1 while new heads arrive over WebSocket, 0 while polling over HTTP")
        .tag("chain", chain)
        .register(registry);
    Gauge.builder("rbtc.indexer.catchup.pending.blocks", this, m -> m.pendingCatchUp())
        .description("Blocks of contracts added later still to be caught up")
        .tag("chain", chain)
        .register(registry);
  }

  public void observeHead(long number) {
    head.set(number);
  }

  public void committed(IndexedChain chain, Coverage coverage) {
    committed.set(new Committed(chain, coverage));
  }

  /** The last committed chain and coverage; null before the first resume. */
  public Committed committed() {
    return committed.get();
  }

  public void cursorBytes(int bytes) {
    cursorBytes.set(bytes);
    cursorSize.record(bytes);
  }

  public long cursorBytes() {
    return cursorBytes.get();
  }

  public void published(Collection<ChainRecord> records, boolean retractions) {
    // Counted per topic first: records of consecutive logs alternate between topics, and a meter
    // lookup per record costs more than the rest of the bookkeeping of a transaction.
    Map<Topic<?>, long[]> byTopic = new HashMap<>();
    for (ChainRecord record : records) {
      byTopic.computeIfAbsent(record.topic(), t -> new long[1])[0]++;
    }
    byTopic.forEach(
        (topic, count) -> {
          String name = topic.name();
          publishedByTopic.computeIfAbsent(name, t -> new AtomicLong()).addAndGet(count[0]);
          recordCounters
              .computeIfAbsent(
                  name + ":" + retractions,
                  k ->
                      Counter.builder("rbtc.indexer.records.published")
                          .description("Chain records published, by topic")
                          .tag("topic", name)
                          .tag("retracted", Boolean.toString(retractions))
                          .register(registry))
              .increment(count[0]);
        });
  }

  public void logsRead(long count) {
    logs.increment(count);
  }

  public void publishedMarkers(String topic, int count) {
    publishedByTopic.computeIfAbsent(topic, t -> new AtomicLong()).addAndGet(count);
  }

  public void blocksIndexed(long count) {
    blocks.increment(count);
  }

  public void quarantined() {
    quarantined.increment();
  }

  public void reorg(int orphanedBlocks) {
    reorgs.increment();
    retractedBlocks.increment(orphanedBlocks);
  }

  public void headToPublish(Duration latency) {
    headToPublish.record(latency);
  }

  public void webSocket(boolean live, String endpoint) {
    webSocketLive.set(live);
    webSocketEndpoint.set(endpoint);
  }

  public boolean webSocketLive() {
    return webSocketLive.get();
  }

  public String webSocketEndpoint() {
    return webSocketEndpoint.get();
  }

  @Override
  public void failure(String endpoint, String method, RpcErrorKind kind) {
    String name = method.contains("(") ? method.substring(0, method.indexOf('(')) : method;
    rpcFailures
        .computeIfAbsent(
            endpoint + "|" + name + "|" + kind,
            k ->
                Counter.builder("rbtc.indexer.rpc.failures")
                    .description("Failed JSON-RPC attempts, by endpoint, method and kind")
                    .tag("chain", chain)
                    .tag("endpoint", endpoint)
                    .tag("method", name)
                    .tag("kind", kind.name())
                    .register(registry))
        .increment();
  }

  @Override
  public void failover(String from, String to) {
    failovers.increment();
  }

  public void state(State next, String failureMessage) {
    state.set(next);
    failure.set(failureMessage);
  }

  public State state() {
    return state.get();
  }

  public String failure() {
    return failure.get();
  }

  public long head() {
    return head.get();
  }

  public BlockRef indexed() {
    Committed c = committed.get();
    return c == null ? null : c.chain().tip();
  }

  public long lag() {
    BlockRef tip = indexed();
    long h = head.get();
    return h < 0 || tip == null ? -1 : Math.max(0, h - tip.number());
  }

  private long indexedNumber() {
    BlockRef tip = indexed();
    return tip == null ? -1 : tip.number();
  }

  private long pendingCatchUp() {
    Committed c = committed.get();
    if (c == null) {
      return 0;
    }
    return c.coverage().deployments().stream()
        .filter(d -> d.active())
        .mapToLong(d -> d.pendingBlocks())
        .sum();
  }

  /** Records published per topic since this process started, sorted by topic. */
  public Map<String, Long> publishedSinceStart() {
    Map<String, Long> counts = new TreeMap<>();
    publishedByTopic.forEach((topic, count) -> counts.put(topic, count.get()));
    return counts;
  }
}
