package com.reservebtc.indexer.ingest;

import com.reservebtc.indexer.chain.BlockHeader;
import com.reservebtc.indexer.chain.BlockRef;
import com.reservebtc.indexer.chain.ChainClient;
import com.reservebtc.indexer.chain.ChainClient.FinalityTags;
import com.reservebtc.indexer.coverage.Coverage;
import com.reservebtc.indexer.coverage.DeploymentCoverage;
import com.reservebtc.indexer.decode.ChainRecord;
import com.reservebtc.indexer.decode.EventNames;
import com.reservebtc.indexer.deployment.Deployment;
import com.reservebtc.indexer.publish.ChainPublisher;
import com.reservebtc.indexer.publish.Publication;
import com.reservebtc.indexer.publish.Recovered;
import com.reservebtc.indexer.reorg.ForkPoint;
import com.reservebtc.indexer.reorg.ForkPoints;
import com.reservebtc.indexer.reorg.IndexedChain;
import com.reservebtc.indexer.reorg.WindowBlock;
import com.reservebtc.indexer.reorg.WindowRepository;
import com.reservebtc.indexer.status.IndexerMetrics;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.BlockMarker;
import com.reservebtc.schemas.avro.BlockMarkerKind;
import com.reservebtc.schemas.avro.Finality;
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
 * <p>Finality: CONFIRMED and FINALIZED come from the node's {@code safe} and {@code finalized} tags
 * where it answers them ({@code rbtc.chain.node-finality}), else from the configured depths; the
 * reorg window reaches down to whichever is deeper. After a reorg (or an operator {@link #rewind})
 * below the confirmed or finalized height, the transaction carries, after the RETRACTED markers, a
 * CONFIRMED / FINALIZED marker at the new lower height. Every record is published labelled with the
 * finality its block has once the transaction's markers are applied.
 *
 * <p>Bounds: a transaction gathers at most {@code maxRecordsPerTransaction} records (a range with
 * more is cut at a block boundary), and the bound halves after a transaction that failed to commit
 * ({@link #publishFailed}), so a burst cannot time out and retry forever.
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
  private final boolean nodeFinality;
  private final WindowRepository windows;

  private IndexedChain indexed = IndexedChain.empty();
  private Coverage coverage;
  private long lastConfirmed = -1;
  private long lastFinalized = -1;
  private long lastHeadTimed = -1;
  private long nodeFinalized = -1;
  private int budget;

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
      Duration progressLogInterval,
      boolean nodeFinality,
      WindowRepository windows) {
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
    this.budget = maxRecordsPerTransaction;
    this.nodeFinality = nodeFinality;
    this.windows = windows;
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
      if (pass.retractions.size() >= budget) {
        // Retractions of a large window travel alone; new blocks follow in the next transaction.
        break;
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
      if (nodeFinality && from <= head.number() - finalizedDepth && pass.retractions.isEmpty()) {
        observe(chain.finalityTags());
      }
      long deepEnd = deepEnd(head.number());
      if (from <= deepEnd && pass.retractions.isEmpty()) {
        if (!backfill(pass, from, deepEnd)) {
          retract(pass);
          continue;
        }
        caughtUp = false;
        break;
      }
      // As many blocks as the adaptive range size, not the whole window at once: a window of dense
      // blocks would otherwise be asked in one answer that passes the response bounds, abandoned
      // and asked again in halves.
      long to = Math.min(head.number(), from + Math.min(maxRange, fetcher.rangeSize()) - 1);
      Optional<FetchedRange> read = readWindow(pass, from, to, head.number());
      if (read.isEmpty()) {
        retract(pass);
        continue;
      }
      caughtUp = pass.windowTo >= head.number();
      break;
    }
    publish(pass, head);
    return caughtUp;
  }

  @Override
  public void close() {
    fetcher.close();
  }

  /**
   * The newest block taken as final without reading every header: {@code finalized-depth} below the
   * head, or the node's finalized block when that is deeper.
   */
  private long deepEnd(long head) {
    long byDepth = head - finalizedDepth;
    return nodeFinalized >= 0 ? Math.min(byDepth, nodeFinalized) : byDepth;
  }

  private void observe(FinalityTags tags) {
    if (nodeFinality && tags.finalized() != null) {
      nodeFinalized = tags.finalized().number();
    }
  }

  /**
   * A transaction failed to commit: the next ones gather half as many records, down to one block.
   */
  void publishFailed() {
    int before = budget;
    budget = Math.max(1, budget / 2);
    if (budget != before) {
      log.warn(
          "Chain {}: a Kafka transaction failed; the next ones carry at most {} records",
          chainId,
          budget);
    }
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
    WindowBlock forkBlock = pass.chain.block(fork.block().number()).orElseThrow();
    // HEAD follows the retractions down to the fork point; the blocks indexed next raise it again.
    pass.retractedBlocks.add(
        new BlockMarker(
            chainId,
            BlockMarkerKind.HEAD,
            forkBlock.number(),
            forkBlock.hash(),
            forkBlock.parentHash(),
            forkBlock.timestamp()));
    lowerMarkers(
        pass, forkBlock.number(), forkBlock.hash(), forkBlock.parentHash(), forkBlock.timestamp());
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
  }

  /**
   * After the RETRACTED markers: CONFIRMED / FINALIZED markers at {@code number} when the published
   * heights are above it (consumers take the latest marker of each kind as the height).
   */
  private void lowerMarkers(
      Pass pass, long number, String hash, String parentHash, long timestamp) {
    if (number < pass.confirmed) {
      log.warn(
          "Chain {}: blocks above {} retracted below the CONFIRMED height {}; CONFIRMED lowered to"
              + " {}",
          chainId,
          number,
          pass.confirmed,
          number);
      pass.retractedBlocks.add(
          new BlockMarker(chainId, BlockMarkerKind.CONFIRMED, number, hash, parentHash, timestamp));
      pass.confirmed = number;
    }
    if (number < pass.finalized) {
      log.warn(
          "Chain {}: blocks above {} retracted below the FINALIZED height {}; FINALIZED lowered to"
              + " {}",
          chainId,
          number,
          pass.finalized,
          number);
      pass.retractedBlocks.add(
          new BlockMarker(chainId, BlockMarkerKind.FINALIZED, number, hash, parentHash, timestamp));
      pass.finalized = number;
    }
  }

  /**
   * Publishes fetched-ahead ranges from {@code from} (all final); false when the first does not
   * extend the indexed tip (a reorg).
   */
  private boolean backfill(Pass pass, long from, long deepEnd) {
    List<FetchedRange> ranges = fetcher.nextRanges(from, deepEnd, pass.coverage, budget);
    BlockRef tip = pass.chain.tip();
    if (tip != null && !ranges.get(0).first().parentHash().equals(tip.hash())) {
      return false;
    }
    if (ranges.size() == 1
        && ranges.get(0).records().size() > budget
        && ranges.get(0).to() > from) {
      ranges = List.of(cut(ranges.get(0)));
      fetcher.reset();
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
   * The first blocks of {@code range} whose records fit the transaction budget (at least the first
   * block with records), ending at a block with records, whose header is asked of the node.
   */
  private FetchedRange cut(FetchedRange range) {
    List<ChainRecord> records = range.records();
    long end = records.get(0).log().getBlockNumber();
    for (int i = 0; i < records.size(); i++) {
      long block = records.get(i).log().getBlockNumber();
      boolean lastOfBlock =
          i + 1 == records.size() || records.get(i + 1).log().getBlockNumber() != block;
      if (lastOfBlock && i + 1 <= budget) {
        end = block;
      }
    }
    long cutAt = end;
    List<ChainRecord> kept =
        records.stream().filter(r -> r.log().getBlockNumber() <= cutAt).toList();
    String hash = kept.get(kept.size() - 1).log().getBlockHash();
    BlockHeader header =
        chain
            .header(cutAt)
            .filter(h -> h.hash().equals(hash))
            .orElseThrow(
                () -> new ChainMovedException("block " + cutAt + " changed during the pass"));
    Map<Long, BlockHeader> headers = new HashMap<>();
    headers.put(range.from(), range.first());
    headers.put(cutAt, header);
    log.info(
        "Chain {}: blocks {}..{} hold {} records, more than one transaction carries ({}); publishing"
            + " up to block {} first",
        chainId,
        range.from(),
        range.to(),
        records.size(),
        budget,
        cutAt);
    return new FetchedRange(range.from(), cutAt, headers, kept, kept.size(), range.tags());
  }

  /**
   * Reads blocks {@code from..to} near the head, each linked to its parent; empty when {@code from}
   * does not extend the indexed tip (a reorg).
   */
  private Optional<FetchedRange> readWindow(Pass pass, long from, long to, long head) {
    long windowFloor = deepEnd(head);
    long firstWindowBlock = Math.max(from, windowFloor + 1);
    long firstBlock = pass.coverage.firstBlock();

    Set<Long> wanted = new TreeSet<>();
    for (long n = firstWindowBlock; n <= to; n++) {
      wanted.add(n);
    }
    // The depth targets, in case the node answers no finality tags.
    wanted.add(Math.max(0, Math.min(to, head - confirmationDepth)));
    wanted.add(Math.max(0, Math.min(to, head - finalizedDepth)));
    FetchedRange read =
        fetcher.fetch(
            from, to, pass.coverage.liveAddresses(to), pass.coverage::publishesLive, wanted, true);
    observe(read.tags());
    Map<Long, BlockHeader> headers = new HashMap<>(read.headers());
    for (long n = firstWindowBlock; n <= to; n++) {
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
    List<ChainRecord> records = read.records();
    if (records.size() > budget && to > from) {
      long end = from;
      for (int i = 0; i < records.size(); i++) {
        long block = records.get(i).log().getBlockNumber();
        boolean lastOfBlock =
            i + 1 == records.size() || records.get(i + 1).log().getBlockNumber() != block;
        if (lastOfBlock && i + 1 <= budget) {
          end = block;
        }
      }
      if (end == from && records.get(0).log().getBlockNumber() > from) {
        end = records.get(0).log().getBlockNumber();
      }
      long cutAt = end;
      log.info(
          "Chain {}: blocks {}..{} hold {} records, more than one transaction carries ({});"
              + " publishing up to block {} first",
          chainId,
          from,
          to,
          records.size(),
          budget,
          cutAt);
      records = records.stream().filter(r -> r.log().getBlockNumber() <= cutAt).toList();
      to = cutAt;
    }

    FinalityTags tags = read.tags();
    for (BlockHeader tag : new BlockHeader[] {tags.safe(), tags.finalized()}) {
      if (tag != null && !headers.containsKey(tag.number())) {
        headers.put(tag.number(), tag);
      }
    }
    long confirmedAt =
        nodeFinality && tags.safe() != null ? tags.safe().number() : head - confirmationDepth;
    long finalizedAt =
        nodeFinality && tags.finalized() != null
            ? tags.finalized().number()
            : head - finalizedDepth;
    long confirmedTarget = Math.min(to, confirmedAt);
    long finalizedTarget = Math.min(to, finalizedAt);
    boolean confirmedAdvances =
        confirmedTarget > pass.confirmed
            && confirmedTarget >= firstBlock
            && headers.containsKey(confirmedTarget);
    boolean finalizedAdvances =
        finalizedTarget > pass.finalized
            && finalizedTarget >= firstBlock
            && headers.containsKey(finalizedTarget);
    for (long target : List.of(confirmedTarget, finalizedTarget)) {
      Optional<WindowBlock> known = pass.chain.block(target);
      if (headers.containsKey(target)
          && known.isPresent()
          && !known.get().hash().equals(headers.get(target).hash())) {
        throw new ChainMovedException("indexed block " + target + " changed during the pass");
      }
    }

    Map<Long, List<ChainRecord>> byBlock = new HashMap<>();
    for (ChainRecord record : records) {
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
    BlockHeader tipHeader = headers.get(to);
    pass.chain = pass.chain.extend(BlockRef.of(tipHeader), newWindowBlocks, windowFloor);
    pass.newWindowBlocks.addAll(newWindowBlocks);
    pass.records.addAll(records);
    pass.logs += to == read.to() ? read.logs() : records.size();
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
    pass.windowTo = to;
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
            List.of(),
            false);
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
    for (ChainRecord record : pass.records) {
      long block = record.log().getBlockNumber();
      record.labelled(
          block <= pass.finalized
              ? Finality.FINALIZED
              : block <= pass.confirmed ? Finality.CONFIRMED : Finality.PENDING);
    }
    Coverage nextCoverage = pass.coverage.counted(pass.records, pass.retractions);
    publisher.publish(
        new Publication(
            pass.retractions,
            pass.retractedBlocks,
            pass.records,
            pass.progress,
            pass.chain,
            nextCoverage,
            pass.newWindowBlocks,
            pass.confirmed,
            pass.finalized));
    budget = Math.min(maxRecordsPerTransaction, budget * 2);
    for (ChainRecord record : pass.records) {
      if (EventNames.quarantined(record)) {
        metrics.quarantined();
        log.error(
            "Quarantined a log of {} in block {} ({}:{}) on {}: {}",
            record.log().getContract(),
            record.log().getBlockNumber(),
            record.log().getTxHash(),
            record.log().getLogIndex(),
            record.topic().name(),
            ((com.reservebtc.schemas.avro.QuarantinedLog) record.value()).getReason());
      }
    }
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
    if (head == null) {
      return;
    }
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

  /**
   * Retracts every record published above {@code toBlock} (their blocks' rows are read from the
   * database, the window and the rewind history below it), lowers HEAD, CONFIRMED and FINALIZED to
   * it, and publishes that with the cursor at {@code toBlock}; the next pass indexes from {@code
   * toBlock + 1}.
   *
   * @throws IllegalArgumentException if nothing above is indexed, the records above are no longer
   *     all held, or the node's block at {@code toBlock} is not the indexed one
   */
  Rewound rewind(long toBlock) {
    BlockRef tip = indexed.tip();
    if (toBlock < 0 || tip == null || toBlock >= tip.number()) {
      throw new IllegalArgumentException(
          "nothing above block "
              + toBlock
              + " is indexed"
              + (tip == null ? "" : " (indexed through block " + tip.number() + ")"));
    }
    List<WindowBlock> above = windows.chain(chainId, tip.hash(), tip.number(), toBlock + 1);
    if (above.size() < tip.number() - toBlock) {
      long held = tip.number() - above.size() + 1;
      throw new IllegalArgumentException(
          "the records of blocks "
              + (toBlock + 1)
              + ".."
              + (held - 1)
              + " are no longer held (the database keeps the reorg window and"
              + " rbtc.indexer.rewind-history-blocks below it), so they cannot be retracted; the"
              + " lowest block this indexer can rewind to is "
              + (held - 1));
    }
    String toHash = above.get(0).parentHash();
    BlockHeader header =
        chain
            .header(toBlock)
            .orElseThrow(
                () -> new IllegalArgumentException("the node has no block " + toBlock + " yet"));
    if (!header.hash().equals(toHash)) {
      throw new IllegalArgumentException(
          "block "
              + toBlock
              + " is "
              + header.hash()
              + " on the node but "
              + toHash
              + " in the index, so it is not canonical; rewind to an older block");
    }
    Pass pass = new Pass(indexed, lastConfirmed, lastFinalized, coverage);
    int records = 0;
    for (WindowBlock block : above) {
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
    pass.retractedBlocks.add(marker(BlockMarkerKind.HEAD, header));
    lowerMarkers(pass, toBlock, header.hash(), header.parentHash(), header.timestamp());
    List<WindowBlock> window =
        windows.chain(chainId, toHash, toBlock, Math.max(0, toBlock - finalizedDepth + 1));
    pass.chain = new IndexedChain(BlockRef.of(header), window);
    pass.coverage = pass.coverage.rewound(toBlock);
    pass.orphanedBlocks = above.size();
    fetcher.reset();
    publish(pass, null);
    log.warn(
        "Chain {} rewound to block {} {} on operator request: {} blocks and {} records retracted;"
            + " indexing again from block {}",
        chainId,
        toBlock,
        toHash,
        above.size(),
        records,
        toBlock + 1);
    return new Rewound(toBlock, toHash, above.size(), records);
  }

  /**
   * What the operator should run after a reorg deeper than the window: the newest block whose
   * records the indexer still holds that the node still has as canonical.
   */
  String rewindAdvice() {
    BlockRef tip = indexed.tip();
    long oldest = windows.oldest(chainId);
    if (tip == null || oldest < 0) {
      return "The indexer holds no records of older blocks to retract; re-index into fresh topics.";
    }
    List<WindowBlock> held = windows.chain(chainId, tip.hash(), tip.number(), oldest);
    for (int end = held.size(); end > 0; end -= 100) {
      List<WindowBlock> chunk = held.subList(Math.max(0, end - 100), end);
      Map<Long, BlockHeader> node = chain.headers(chunk.stream().map(WindowBlock::number).toList());
      for (int i = chunk.size() - 1; i >= 0; i--) {
        WindowBlock block = chunk.get(i);
        BlockHeader canonical = node.get(block.number());
        if (canonical != null && canonical.hash().equals(block.hash())) {
          return "Block "
              + block.number()
              + " is the newest block the indexer holds records for that is still canonical: run"
              + " POST /status/rewind?toBlock="
              + block.number()
              + " on this indexer's port (curl -X POST"
              + " 'http://<indexer>:<server.port>/status/rewind?toBlock="
              + block.number()
              + "') to retract every record above it and index again from block "
              + (block.number() + 1)
              + ".";
        }
      }
    }
    return "None of the blocks the indexer holds records for ("
        + (held.isEmpty() ? "none" : held.get(0).number() + ".." + tip.number())
        + ") is canonical any more; the reorg is deeper than rbtc.indexer.rewind-history-blocks:"
        + " re-index into fresh topics.";
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
    long windowTo;
    final List<WindowBlock> newWindowBlocks = new ArrayList<>();
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
