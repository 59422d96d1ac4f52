package com.reservebtc.indexer.ingest;

import com.reservebtc.indexer.chain.Address;
import com.reservebtc.indexer.chain.BlockHeader;
import com.reservebtc.indexer.chain.ChainClient;
import com.reservebtc.indexer.chain.ChainClient.FinalityTags;
import com.reservebtc.indexer.chain.ChainClient.LogSlice;
import com.reservebtc.indexer.chain.ChainRpcException;
import com.reservebtc.indexer.chain.LogRangeTooLargeException;
import com.reservebtc.indexer.chain.LogsBloom;
import com.reservebtc.indexer.chain.RawLog;
import com.reservebtc.indexer.coverage.Coverage;
import com.reservebtc.indexer.decode.ChainRecord;
import com.reservebtc.indexer.decode.LogDecoder;
import com.reservebtc.schemas.avro.Finality;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads log ranges from the node and decodes them: one range on demand ({@link #fetch}), or, while
 * catching up, a window of up to {@code concurrency} ranges fetched and decoded ahead on worker
 * threads and handed out strictly in block order ({@link #nextRanges}).
 *
 * <p>The range size adapts: it halves when a node refuses a range as too large (the refused range
 * is split and asked again, so a fetch always returns exactly the blocks it was asked for), halves
 * when a range returns far more than {@code targetLogs} logs, and doubles, up to {@code maxRange},
 * when a full-size range returns far fewer.
 *
 * <p>Guarantees: a fetched range's logs were answered by an endpoint that had both end blocks (see
 * {@link ChainClient#logSlice}); sub-ranges are linked by parent hash; every log whose block header
 * was fetched carries that header's hash. Near the head ({@code nearHead}), no block whose header
 * was fetched is left without its logs: a block for which the range answer brought no log although
 * its header's {@code logsBloom} may hold one (a lagging backend behind a load balancer, or a reorg
 * between the calls of one batch, answers a range without them) is asked again by its hash
 * (EIP-234), so its logs are exactly those of the block whose hash is recorded. Only the ingest
 * thread calls it.
 */
final class RangeFetcher implements AutoCloseable {

  /** Which logs become records. */
  @FunctionalInterface
  interface LogFilter {
    boolean publishes(Address contract, long block);
  }

  private static final int INITIAL_RANGE = 10;

  private final ChainClient chain;
  private final LogDecoder decoder;
  private final Set<String> topic0s;
  private final int concurrency;
  private final int maxRange;
  private final int targetLogs;
  private final List<LogsBloom.Probe> topicProbes;
  private final Map<Address, LogsBloom.Probe> addressProbes =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final ExecutorService workers;
  private final AtomicInteger range;
  private final Deque<InFlight> inFlight = new ArrayDeque<>();
  private long nextDispatch = -1;
  private Coverage dispatchedFor;

  private record InFlight(long from, long to, Future<FetchedRange> result) {}

  RangeFetcher(
      ChainClient chain, LogDecoder decoder, int concurrency, int maxRange, int targetLogs) {
    this.chain = chain;
    this.decoder = decoder;
    this.topic0s = decoder.topic0s();
    this.topicProbes = topic0s.stream().map(LogsBloom.Probe::of).toList();
    this.concurrency = concurrency;
    this.maxRange = maxRange;
    this.targetLogs = targetLogs;
    this.range = new AtomicInteger(Math.min(maxRange, INITIAL_RANGE));
    AtomicInteger threads = new AtomicInteger();
    this.workers =
        Executors.newFixedThreadPool(
            concurrency,
            r -> {
              Thread t = new Thread(r, "indexer-fetch-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** Blocks per range at the moment. */
  int rangeSize() {
    return range.get();
  }

  /**
   * Reads blocks {@code from..to} now, with the headers of {@code moreHeaders} in the same batch.
   *
   * @param nearHead also ask for the node's finality tags, and verify every block with a fetched
   *     header that came back without logs against its bloom (see the class comment)
   */
  FetchedRange fetch(
      long from,
      long to,
      List<Address> addresses,
      LogFilter filter,
      Collection<Long> moreHeaders,
      boolean nearHead) {
    List<LogSlice> slices = new ArrayList<>();
    slices(from, to, addresses, moreHeaders, nearHead, slices);
    Map<Long, BlockHeader> headers = new HashMap<>();
    List<RawLog> logs = new ArrayList<>();
    for (int i = 0; i < slices.size(); i++) {
      LogSlice slice = slices.get(i);
      if (i > 0 && !slices.get(i - 1).last().isParentOf(slice.first())) {
        throw new ChainMovedException(
            "block " + slice.from() + " does not extend block " + (slice.from() - 1));
      }
      headers.putAll(slice.headers());
      logs.addAll(slice.logs());
    }
    if (nearHead && !addresses.isEmpty()) {
      logs.addAll(logsOfBlocksAnsweredEmpty(from, to, headers, logs, addresses));
    }
    logs.sort(Comparator.comparingLong(RawLog::blockNumber).thenComparingInt(RawLog::logIndex));
    Set<Long> missing = new TreeSet<>();
    for (RawLog log : logs) {
      if (log.blockNumber() < from || log.blockNumber() > to) {
        throw new ChainRpcException(
            "eth_getLogs(" + from + ".." + to + ") returned a log of block " + log.blockNumber());
      }
      if (log.blockTimestamp() < 0 && !headers.containsKey(log.blockNumber())) {
        missing.add(log.blockNumber());
      }
    }
    if (!missing.isEmpty()) {
      Map<Long, BlockHeader> found = chain.headers(missing);
      for (long n : missing) {
        if (!found.containsKey(n)) {
          throw new ChainMovedException("block " + n + " is not available from the node");
        }
      }
      headers.putAll(found);
    }
    List<ChainRecord> records = new ArrayList<>(logs.size());
    for (RawLog log : logs) {
      BlockHeader header = headers.get(log.blockNumber());
      if (header != null && !header.hash().equals(log.blockHash())) {
        throw new ChainMovedException(
            "log "
                + log.txHash()
                + ":"
                + log.logIndex()
                + " is in a block that is no longer "
                + log.blockNumber()
                + "'s canonical block");
      }
      if (!filter.publishes(log.address(), log.blockNumber())) {
        continue;
      }
      long timestamp = header != null ? header.timestamp() : log.blockTimestamp();
      decoder.decode(log, timestamp).ifPresent(records::add);
    }
    adapt(logs.size(), to - from + 1);
    FinalityTags tags = slices.isEmpty() ? FinalityTags.NONE : slices.get(0).tags();
    return new FetchedRange(from, to, headers, records, logs.size(), tags);
  }

  /**
   * The logs, asked by block hash, of the blocks {@code from..to} whose header was fetched, that
   * the range answer left without a log, and whose bloom says they may hold one.
   */
  private List<RawLog> logsOfBlocksAnsweredEmpty(
      long from,
      long to,
      Map<Long, BlockHeader> headers,
      List<RawLog> logs,
      List<Address> addresses) {
    Set<Long> withLogs = new java.util.HashSet<>();
    logs.forEach(log -> withLogs.add(log.blockNumber()));
    List<LogsBloom.Probe> probes =
        addresses.stream()
            .map(a -> addressProbes.computeIfAbsent(a, x -> LogsBloom.Probe.of(x.value())))
            .toList();
    List<String> suspicious = new ArrayList<>();
    for (long n = from; n <= to; n++) {
      BlockHeader header = headers.get(n);
      if (header != null && !withLogs.contains(n) && header.mightHoldLogs(probes, topicProbes)) {
        suspicious.add(header.hash());
      }
    }
    if (suspicious.isEmpty()) {
      return List.of();
    }
    Map<String, List<RawLog>> byHash;
    try {
      byHash = chain.logsOfBlocks(suspicious, addresses, topic0s);
    } catch (ChainRpcException e) {
      throw new ChainMovedException(
          "a block read near the head is unknown to the node now: " + e.getMessage());
    }
    List<RawLog> found = new ArrayList<>();
    byHash.values().forEach(found::addAll);
    return found;
  }

  /**
   * The next ranges in block order from {@code from} (up to {@code limit}), at least one, more if
   * already fetched and together under {@code maxRecords}; keeps the window of fetches ahead full.
   */
  List<FetchedRange> nextRanges(long from, long limit, Coverage coverage, int maxRecords) {
    InFlight head = inFlight.peekFirst();
    boolean stale =
        head == null
            || head.from() != from
            || !coverage.sameLiveSet(dispatchedFor)
            || inFlight.stream().anyMatch(f -> f.to() > limit);
    if (stale) {
      reset();
      nextDispatch = from;
      dispatchedFor = coverage;
    }
    dispatch(limit);
    List<FetchedRange> ready = new ArrayList<>();
    int records = 0;
    while (!inFlight.isEmpty()) {
      InFlight next = inFlight.peekFirst();
      if (!ready.isEmpty() && !next.result().isDone()) {
        break;
      }
      FetchedRange fetched = await(next);
      if (!ready.isEmpty() && records + fetched.records().size() > maxRecords) {
        break;
      }
      inFlight.removeFirst();
      ready.add(fetched);
      records += fetched.records().size();
      dispatch(limit);
    }
    return ready;
  }

  /** Forgets every range fetched ahead (after a reorg, a failure or a coverage change). */
  void reset() {
    inFlight.forEach(f -> f.result().cancel(true));
    inFlight.clear();
    nextDispatch = -1;
    dispatchedFor = null;
  }

  @Override
  public void close() {
    reset();
    workers.shutdownNow();
  }

  private void dispatch(long limit) {
    Coverage coverage = dispatchedFor;
    while (inFlight.size() < concurrency && nextDispatch >= 0 && nextDispatch <= limit) {
      long from = nextDispatch;
      long to = Math.min(limit, from + range.get() - 1);
      List<Address> addresses = coverage.liveAddresses(to);
      inFlight.addLast(
          new InFlight(
              from,
              to,
              workers.submit(() -> fetchAhead(from, to, addresses, coverage::publishesLive))));
      nextDispatch = to + 1;
    }
  }

  /**
   * A range fetched ahead: deeper than the reorg window, so the ingestor publishes its records
   * FINALIZED. They are labelled so and encoded here, on the worker threads, while the ingest
   * thread publishes earlier ranges (a record the ingestor labels otherwise is encoded again).
   */
  private FetchedRange fetchAhead(long from, long to, List<Address> addresses, LogFilter filter) {
    FetchedRange range = fetch(from, to, addresses, filter, List.of(), false);
    for (ChainRecord record : range.records()) {
      record.labelled(Finality.FINALIZED);
      record.wire();
    }
    return range;
  }

  private FetchedRange await(InFlight next) {
    try {
      return next.result().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reset();
      throw new ChainRpcException("interrupted while fetching logs", e);
    } catch (ExecutionException e) {
      reset();
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw new IllegalStateException("log fetch failed", e.getCause());
    }
  }

  private void slices(
      long from,
      long to,
      List<Address> addresses,
      Collection<Long> more,
      boolean tags,
      List<LogSlice> out) {
    try {
      out.add(chain.logSlice(from, to, addresses, topic0s, more, tags));
    } catch (LogRangeTooLargeException e) {
      if (from == to) {
        throw new ChainRpcException(
            "the node refuses the logs of the single block " + from + ": " + e.getMessage(), e);
      }
      long blocks = to - from + 1;
      range.updateAndGet(r -> (int) Math.max(1, Math.min(r, blocks) / 2));
      long mid = from + (to - from) / 2;
      slices(from, mid, addresses, more, tags, out);
      slices(mid + 1, to, addresses, List.of(), false, out);
    }
  }

  private void adapt(int logs, long blocks) {
    if (logs > 2L * targetLogs && blocks > 1) {
      range.updateAndGet(r -> (int) Math.max(1, Math.min(r, blocks) / 2));
    } else if (logs < targetLogs / 2 && blocks >= range.get()) {
      range.updateAndGet(r -> Math.min(maxRange, r * 2));
    }
  }
}
