package com.reservebtc.indexer.ingest;

import com.reservebtc.indexer.chain.BlockHeader;
import com.reservebtc.indexer.chain.BlockRef;
import com.reservebtc.indexer.chain.ChainClient;
import com.reservebtc.indexer.coverage.Coverage;
import com.reservebtc.indexer.coverage.DeploymentCoverage;
import com.reservebtc.indexer.decode.ChainRecord;
import com.reservebtc.indexer.deployment.Deployment;
import com.reservebtc.indexer.publish.ChainPublisher;
import com.reservebtc.indexer.publish.Publication;
import com.reservebtc.indexer.publish.Recovered;
import com.reservebtc.indexer.reorg.ForkPoint;
import com.reservebtc.indexer.reorg.ForkPoints;
import com.reservebtc.indexer.reorg.IndexedChain;
import com.reservebtc.indexer.reorg.WindowBlock;
import com.reservebtc.indexer.status.IndexerMetrics;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.BlockMarker;
import com.reservebtc.schemas.avro.BlockMarkerKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ingest pass at a time. A pass does one of three things and publishes it, with block markers,
 * the new cursor and the coverage that belongs to it, in one Kafka transaction:
 *
 * <ul>
 *   <li><b>Backfill</b>, while the next block is deeper than the reorg window ({@code
 *       finalized-depth} below the head): ranges fetched and decoded ahead, in parallel, by the
 *       {@link RangeFetcher}, published in block order, several per transaction. Such blocks are
 *       taken as final: each range is linked to the previous one by parent hash, not every block.
 *   <li><b>Window</b>, near the head: every block's header is fetched with the logs (one JSON-RPC
 *       batch) and linked to its parent, so a reorg inside the window is always detected; orphaned
 *       blocks are retracted first.
 *   <li><b>Catch-up</b>, once caught up with the head: the next final blocks of a contract added
 *       after the indexer had passed its start block (see {@link Coverage}).
 * </ul>
 *
 * <p>Guarantees: in-memory state changes only after a commit, so a failed pass can be retried (or
 * state re-read with {@link #resume}) without gaps or duplicates. Not thread-safe: driven by the
 * single ingest thread.
 */
final class Ingestor implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Ingestor.class);
  private static final int MAX_REORG_PASSES = 4;

  private final long chainId;
  private final ChainClient chain;
  private final RangeFetcher fetcher;
  private final ChainPublisher publisher;
  private final IndexerMetrics metrics;
  private final BackfillProgress progress;
  private final List<Deployment> configured;
  private final int confirmationDepth;
  private final int finalizedDepth;
  private final int maxRange;
  private final int maxRecordsPerTransaction;

  private IndexedChain indexed = IndexedChain.empty();
  private Coverage coverage;
  private long lastConfirmed = -1;
  private long lastFinalized = -1;
  private long lastHeadTimed = -1;

  Ingestor(
      long chainId,
      List<Deployment> configured,
      ChainClient chain,
      RangeFetcher fetcher,
      ChainPublisher publisher,
      IndexerMetrics metrics,
      int confirmationDepth,
      int finalizedDepth,
      int maxRange,
      int maxRecordsPerTransaction,
      Duration progressLogInterval) {
    this.chainId = chainId;
    this.configured = List.copyOf(configured);
    this.chain = chain;
    this.fetcher = fetcher;
    this.publisher = publisher;
    this.metrics = metrics;
    this.confirmationDepth = confirmationDepth;
    this.finalizedDepth = finalizedDepth;
    this.maxRange = maxRange;
    this.maxRecordsPerTransaction = maxRecordsPerTransaction;
    this.progress = new BackfillProgress(chainId, progressLogInterval);
    this.coverage = Coverage.fresh(configured);
  }

  /**
   * Replaces the in-memory state with what Kafka holds as committed and the coverage stored for
   * that cursor ({@code null}: none stored), then applies the configured contracts to it.
   */
  void resume(Recovered recovered, Coverage stored) {
    fetcher.reset();
    this.indexed = recovered.chain();
    this.lastConfirmed = recovered.lastConfirmed();
    this.lastFinalized = recovered.lastFinalized();
    long tip = indexed.tipRef().map(BlockRef::number).orElse(-1L);
    Coverage base;
    if (stored != null) {
      base = stored;
    } else if (indexed.tip() != null) {
      log.warn(
          "No coverage is stored for the committed cursor of chain {} (written by an older release"
              + " or the database was replaced): assuming every configured contract was indexed"
              + " from its start block; counts start at block {}",
          chainId,
          tip + 1);
      base = Coverage.assumedComplete(configured, tip);
    } else {
      base = Coverage.fresh(configured);
    }
    Coverage.Reconfigured reconfigured = base.reconfigure(configured, tip);
    reconfigured.changes().forEach(change -> log.info("Chain {}: {}", chainId, change));
    this.coverage = reconfigured.coverage();
    metrics.committed(indexed, coverage);
    log.info(
        "Resuming chain {} {}; {} blocks in the reorg window, last CONFIRMED {}, FINALIZED {}",
        chainId,
        indexed
            .tipRef()
            .map(t -> "after block " + t.number() + " " + t.hash())
            .orElse("from block " + coverage.firstBlock() + " (no cursor)"),
        indexed.window().size(),
        lastConfirmed,
        lastFinalized);
  }

  IndexedChain indexed() {
    return indexed;
  }

  Coverage coverage() {
    return coverage;
  }

  /**
   * Runs one pass against {@code head}.
   *
   * @return true when there is nothing to do until a new head arrives
   */
  boolean step(HeadTracker.Head head) {
    metrics.observeHead(head.number());
    Pass pass = new Pass(indexed, lastConfirmed, lastFinalized, coverage);
    boolean caughtUp = true;
    for (int attempt = 1; ; attempt++) {
      if (attempt > MAX_REORG_PASSES) {
        throw new ChainMovedException(
            "the chain reorganised " + MAX_REORG_PASSES + " times within one pass");
      }
      long from = pass.chain.nextBlock(pass.coverage.firstBlock());
      if (from > head.number()) {
        if (!tipStillCanonical(pass.chain, head.number())) {
          retract(pass);
          continue;
        }
        if (!pass.retractions.isEmpty() || !pass.retractedBlocks.isEmpty()) {
          break;
        }
        if (!catchUp(pass, head.number())) {
          return true;
        }
        caughtUp = false;
        break;
      }
      long deepEnd = head.number() - finalizedDepth;
      if (from <= deepEnd && pass.retractions.isEmpty()) {
        if (!backfill(pass, from, deepEnd)) {
          retract(pass);
          continue;
        }
        caughtUp = false;
        break;
      }
      long to = Math.min(head.number(), from + maxRange - 1);
      Optional<FetchedRange> read = readWindow(pass, from, to, head.number());
      if (read.isEmpty()) {
        retract(pass);
        continue;
      }
      caughtUp = to >= head.number();
      break;
    }
    publish(pass, head);
    return caughtUp;
  }

  @Override
  public void close() {
    fetcher.close();
  }

  private boolean tipStillCanonical(IndexedChain current, long head) {
    BlockRef tip = current.tip();
    if (tip == null || tip.number() > head) {
      // A node behind our tip (e.g. another node behind a load balancer) proves nothing.
      return true;
    }
    return chain.header(tip.number()).map(h -> h.hash().equals(tip.hash())).orElse(true);
  }

  private void retract(Pass pass) {
    fetcher.reset();
    ForkPoint fork = ForkPoints.find(pass.chain, n -> chain.header(n).map(BlockHeader::hash));
    int records = 0;
    for (WindowBlock block : fork.orphaned()) {
      for (ChainRecord record : block.records()) {
        pass.retractions.add(record.retraction());
        records++;
      }
      pass.retractedBlocks.add(
          new BlockMarker(
              chainId,
              BlockMarkerKind.RETRACTED,
              block.number(),
              block.hash(),
              block.parentHash(),
              block.timestamp()));
    }
    pass.chain = pass.chain.rewind(fork);
    pass.coverage = pass.coverage.rewound(fork.block().number());
    pass.orphanedBlocks += fork.orphaned().size();
    log.warn(
        "Reorg on chain {}: fork point block {} {}, {} indexed blocks orphaned, {} records to"
            + " retract",
        chainId,
        fork.block().number(),
        fork.block().hash(),
        fork.orphaned().size(),
        records);
    if (fork.block().number() < pass.confirmed) {
      log.warn(
          "Reorg on chain {} reached below CONFIRMED block {} (confirmation depth {} too shallow)",
          chainId,
          pass.confirmed,
          confirmationDepth);
    }
  }

  /**
   * Publishes fetched-ahead ranges from {@code from} (all final); false when the first does not
   * extend the indexed tip (a reorg).
   */
  private boolean backfill(Pass pass, long from, long deepEnd) {
    List<FetchedRange> ranges =
        fetcher.nextRanges(from, deepEnd, pass.coverage, maxRecordsPerTransaction);
    BlockRef tip = pass.chain.tip();
    if (tip != null && !ranges.get(0).first().parentHash().equals(tip.hash())) {
      return false;
    }
    for (int i = 1; i < ranges.size(); i++) {
      if (!ranges.get(i - 1).last().isParentOf(ranges.get(i).first())) {
        fetcher.reset();
        throw new ChainMovedException(
            "block " + ranges.get(i).from() + " does not extend block " + ranges.get(i - 1).to());
      }
    }
    FetchedRange last = ranges.get(ranges.size() - 1);
    for (FetchedRange range : ranges) {
      pass.records.addAll(range.records());
      pass.logs += range.logs();
    }
    BlockHeader tipHeader = last.last();
    pass.chain = pass.chain.extend(BlockRef.of(tipHeader), List.of(), deepEnd);
    pass.blocks += last.to() - from + 1;
    pass.progress.add(marker(BlockMarkerKind.HEAD, tipHeader));
    if (tipHeader.number() > pass.confirmed) {
      pass.progress.add(marker(BlockMarkerKind.CONFIRMED, tipHeader));
      pass.confirmed = tipHeader.number();
    }
    if (tipHeader.number() > pass.finalized) {
      pass.progress.add(marker(BlockMarkerKind.FINALIZED, tipHeader));
      pass.finalized = tipHeader.number();
    }
    return true;
  }

  /**
   * Reads blocks {@code from..to} near the head, each linked to its parent; empty when {@code from}
   * does not extend the indexed tip (a reorg).
   */
  private Optional<FetchedRange> readWindow(Pass pass, long from, long to, long head) {
    long windowFloor = head - finalizedDepth;
    long firstWindowBlock = Math.max(from, windowFloor + 1);
    long confirmedTarget = Math.min(to, head - confirmationDepth);
    long finalizedTarget = Math.min(to, head - finalizedDepth);
    long firstBlock = pass.coverage.firstBlock();
    boolean confirmedAdvances = confirmedTarget > pass.confirmed && confirmedTarget >= firstBlock;
    boolean finalizedAdvances = finalizedTarget > pass.finalized && finalizedTarget >= firstBlock;

    Set<Long> wanted = new TreeSet<>();
    for (long n = firstWindowBlock; n <= to; n++) {
      wanted.add(n);
    }
    if (confirmedAdvances) {
      wanted.add(confirmedTarget);
    }
    if (finalizedAdvances) {
      wanted.add(finalizedTarget);
    }
    FetchedRange read =
        fetcher.fetch(
            from, to, pass.coverage.liveAddresses(to), pass.coverage::publishesLive, wanted);
    Map<Long, BlockHeader> headers = read.headers();
    for (long n : wanted) {
      if (!headers.containsKey(n)) {
        throw new ChainMovedException("block " + n + " is not available from the node");
      }
    }
    BlockRef tip = pass.chain.tip();
    if (tip != null && !read.first().parentHash().equals(tip.hash())) {
      return Optional.empty();
    }
    for (long n = firstWindowBlock + 1; n <= to; n++) {
      if (!headers.get(n - 1).isParentOf(headers.get(n))) {
        throw new ChainMovedException("block " + n + " does not extend block " + (n - 1));
      }
    }
    for (long target : List.of(confirmedTarget, finalizedTarget)) {
      Optional<WindowBlock> known = pass.chain.block(target);
      if (headers.containsKey(target)
          && known.isPresent()
          && !known.get().hash().equals(headers.get(target).hash())) {
        throw new ChainMovedException("indexed block " + target + " changed during the pass");
      }
    }

    Map<Long, List<ChainRecord>> byBlock = new HashMap<>();
    for (ChainRecord record : read.records()) {
      byBlock.computeIfAbsent(record.log().getBlockNumber(), n -> new ArrayList<>()).add(record);
    }
    List<WindowBlock> newWindowBlocks = new ArrayList<>();
    for (long n = firstWindowBlock; n <= to; n++) {
      BlockHeader header = headers.get(n);
      newWindowBlocks.add(
          new WindowBlock(
              n,
              header.hash(),
              header.parentHash(),
              header.timestamp(),
              byBlock.getOrDefault(n, List.of())));
    }
    BlockHeader tipHeader = read.last();
    pass.chain = pass.chain.extend(BlockRef.of(tipHeader), newWindowBlocks, windowFloor);
    pass.records.addAll(read.records());
    pass.logs += read.logs();
    pass.blocks += to - from + 1;
    // HEAD is the newest block whose records are published, not the node's head, and CONFIRMED /
    // FINALIZED never pass it either: a marker never runs ahead of the events it covers.
    pass.progress.add(marker(BlockMarkerKind.HEAD, tipHeader));
    if (confirmedAdvances) {
      pass.progress.add(marker(BlockMarkerKind.CONFIRMED, headers.get(confirmedTarget)));
      pass.confirmed = confirmedTarget;
    }
    if (finalizedAdvances) {
      pass.progress.add(marker(BlockMarkerKind.FINALIZED, headers.get(finalizedTarget)));
      pass.finalized = finalizedTarget;
    }
    return Optional.of(read);
  }

  /** Publishes the next final blocks of a contract that has some to catch up; false if none. */
  private boolean catchUp(Pass pass, long head) {
    if (pass.chain.tip() == null) {
      return false;
    }
    long finalThrough = Math.min(pass.chain.tip().number(), head - finalizedDepth);
    Optional<Coverage.CatchUp> next = pass.coverage.nextCatchUp(finalThrough, fetcher.rangeSize());
    if (next.isEmpty()) {
      return false;
    }
    DeploymentCoverage deployment = next.get().deployment();
    long from = next.get().range().from();
    long to = next.get().range().to();
    FetchedRange read =
        fetcher.fetch(
            from,
            to,
            List.of(deployment.address()),
            (contract, block) -> contract.equals(deployment.address()),
            List.of());
    pass.records.addAll(read.records());
    pass.logs += read.logs();
    pass.coverage = pass.coverage.caughtUp(deployment.address(), next.get().range());
    long left = pass.coverage.get(deployment.address()).orElseThrow().pendingBlocks();
    if (left == 0) {
      log.info(
          "Chain {}: {} {} caught up ({} records up to block {})",
          chainId,
          deployment.kind(),
          deployment.address(),
          read.records().size(),
          to);
    } else if (log.isDebugEnabled()) {
      log.debug(
          "Chain {}: {} {} caught up through block {}, {} blocks left",
          chainId,
          deployment.kind(),
          deployment.address(),
          to,
          left);
    }
    return true;
  }

  private void publish(Pass pass, HeadTracker.Head head) {
    Coverage nextCoverage = pass.coverage.counted(pass.records, pass.retractions);
    publisher.publish(
        new Publication(
            pass.retractions,
            pass.retractedBlocks,
            pass.records,
            pass.progress,
            pass.chain,
            nextCoverage));
    indexed = pass.chain;
    coverage = nextCoverage;
    lastConfirmed = pass.confirmed;
    lastFinalized = pass.finalized;

    metrics.committed(indexed, coverage);
    metrics.cursorBytes(publisher.lastCursorBytes());
    metrics.published(pass.retractions, true);
    metrics.published(pass.records, false);
    metrics.logsRead(pass.logs);
    metrics.publishedMarkers(
        Topics.CHAIN_BLOCKS.name(), pass.retractedBlocks.size() + pass.progress.size());
    metrics.publishedMarkers(Topics.INDEXER_CURSOR.name(), 1);
    metrics.blocksIndexed(pass.blocks);
    if (pass.orphanedBlocks > 0) {
      metrics.reorg(pass.orphanedBlocks);
    }
    long tipNumber = indexed.tip().number();
    if (tipNumber >= head.number() && lastHeadTimed < head.number() && pass.blocks > 0) {
      lastHeadTimed = head.number();
      metrics.headToPublish(Duration.ofNanos(System.nanoTime() - head.seenNanos()));
    }
    progress.committed(tipNumber, head.number(), pass.blocks, pass.records.size(), pass.logs);
    if (log.isDebugEnabled()) {
      log.debug(
          "Published blocks up to {} ({} records, {} retractions)",
          tipNumber,
          pass.records.size(),
          pass.retractions.size());
    }
  }

  private BlockMarker marker(BlockMarkerKind kind, BlockHeader header) {
    return new BlockMarker(
        chainId, kind, header.number(), header.hash(), header.parentHash(), header.timestamp());
  }

  /** What one pass has gathered so far; published together or not at all. */
  private static final class Pass {
    IndexedChain chain;
    Coverage coverage;
    long confirmed;
    long finalized;
    long blocks;
    long logs;
    int orphanedBlocks;
    final List<ChainRecord> retractions = new ArrayList<>();
    final List<BlockMarker> retractedBlocks = new ArrayList<>();
    final List<ChainRecord> records = new ArrayList<>();
    final List<BlockMarker> progress = new ArrayList<>();

    Pass(IndexedChain chain, long confirmed, long finalized, Coverage coverage) {
      this.chain = chain;
      this.confirmed = confirmed;
      this.finalized = finalized;
      this.coverage = coverage;
    }
  }
}
