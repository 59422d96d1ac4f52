package com.reservebtc.indexer.status;

import com.reservebtc.indexer.chain.BlockRef;
import com.reservebtc.indexer.config.IndexerProperties;
import com.reservebtc.indexer.decode.ChainRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;

/**
 * The indexer's live progress, for Micrometer (throughput, lag, latency) and for {@code /status}.
 * Updated only by the ingest thread after a commit; read from any thread. Counts start at zero with
 * every process start.
 */
@Component
public class IndexerMetrics {

  /** Ingest loop state as reported by health and status. */
  public enum State {
    STARTING,
    RUNNING,
    STOPPED,
    FAILED
  }

  private final MeterRegistry registry;
  private final AtomicLong head = new AtomicLong(-1);
  private final AtomicReference<BlockRef> indexed = new AtomicReference<>();
  private final AtomicReference<State> state = new AtomicReference<>(State.STARTING);
  private final AtomicReference<String> failure = new AtomicReference<>();
  private final Map<String, AtomicLong> publishedByTopic = new ConcurrentHashMap<>();
  private final Map<String, Counter> recordCounters = new ConcurrentHashMap<>();
  private final Counter blocks;
  private final Counter reorgs;
  private final Counter retractedBlocks;
  private final Timer headToPublish;

  IndexerMetrics(MeterRegistry registry, IndexerProperties properties) {
    this.registry = registry;
    String chain = Long.toString(properties.chain().id());
    this.blocks =
        Counter.builder("rbtc.indexer.blocks")
            .description("Blocks indexed (published under a committed cursor)")
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
    this.headToPublish =
        Timer.builder("rbtc.indexer.head.publish.latency")
            .description("From first seeing a new head block to committing its records")
            .tag("chain", chain)
            .publishPercentileHistogram()
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
  }

  public void observeHead(long number) {
    head.set(number);
  }

  public void indexedThrough(BlockRef tip) {
    indexed.set(tip);
  }

  public void published(Collection<ChainRecord> records, boolean retractions) {
    for (ChainRecord record : records) {
      String topic = record.topic().name();
      publishedByTopic.computeIfAbsent(topic, t -> new AtomicLong()).incrementAndGet();
      recordCounters
          .computeIfAbsent(
              topic + ":" + retractions,
              k ->
                  Counter.builder("rbtc.indexer.records.published")
                      .description("Chain records published, by topic")
                      .tag("topic", topic)
                      .tag("retracted", Boolean.toString(retractions))
                      .register(registry))
          .increment();
    }
  }

  public void publishedMarkers(String topic, int count) {
    publishedByTopic.computeIfAbsent(topic, t -> new AtomicLong()).addAndGet(count);
  }

  public void blocksIndexed(long count) {
    blocks.increment(count);
  }

  public void reorg(int orphanedBlocks) {
    reorgs.increment();
    retractedBlocks.increment(orphanedBlocks);
  }

  public void headToPublish(Duration latency) {
    headToPublish.record(latency);
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
    return indexed.get();
  }

  public long lag() {
    BlockRef tip = indexed.get();
    long h = head.get();
    return h < 0 || tip == null ? -1 : Math.max(0, h - tip.number());
  }

  private long indexedNumber() {
    BlockRef tip = indexed.get();
    return tip == null ? -1 : tip.number();
  }

  /** Records published per topic since this process started, sorted by topic. */
  public Map<String, Long> publishedSinceStart() {
    Map<String, Long> counts = new TreeMap<>();
    publishedByTopic.forEach((topic, count) -> counts.put(topic, count.get()));
    return counts;
  }
}
