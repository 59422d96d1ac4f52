package com.reservebtc.indexer.ingest;

import com.reservebtc.indexer.chain.Address;
import com.reservebtc.indexer.chain.BlockHeader;
import com.reservebtc.indexer.chain.BlockRef;
import com.reservebtc.indexer.chain.ChainClient;
import com.reservebtc.indexer.chain.ChainRpcException;
import com.reservebtc.indexer.chain.RawLog;
import com.reservebtc.indexer.config.IndexerProperties;
import com.reservebtc.indexer.decode.ChainRecord;
import com.reservebtc.indexer.decode.LogDecoder;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ingest pass at a time: reads the next block range from the node, checks that it extends what
 * was already published (parent hash of the first block against the committed tip), retracts
 * orphaned blocks when it does not, and publishes records, block markers and the new cursor in one
 * Kafka transaction.
 *
 * <p>Guarantees: in-memory state changes only after a commit, so a failed pass can be retried (or
 * state re-read with {@link #resume}) without gaps or duplicates. Every block within the reorg
 * window ({@code finalized-depth} below the head) has its header fetched before its logs and is
 * linked to its parent, so a reorg inside the window is always detected. Blocks deeper than the
 * window are taken as final: only the first block of such a range is linked to the tip.
 *
 * <p>Not thread-safe: driven by the single ingest thread.
 */
final class Ingestor {

  private static final Logger log = LoggerFactory.getLogger(Ingestor.class);
  private static final int MAX_REORG_PASSES = 4;

  private final long chainId;
  private final ChainClient chain;
  private final LogDecoder decoder;
  private final ChainPublisher publisher;
  private final IndexerMetrics metrics;
  private final List<Deployment> deployments;
  private final Set<String> topic0s;
  private final long firstBlock;
  private final int confirmationDepth;
  private final int finalizedDepth;
  private final int maxRange;

  private IndexedChain indexed = IndexedChain.empty();
  private long lastConfirmed = -1;
  private long lastFinalized = -1;
  private int range;
  private long lastHead = -1;
  private long lastHeadSeenNanos;
  private long lastHeadTimed = -1;

  Ingestor(
      IndexerProperties properties,
      List<Deployment> deployments,
      ChainClient chain,
      LogDecoder decoder,
      ChainPublisher publisher,
      IndexerMetrics metrics) {
    this.chainId = properties.chain().id();
    this.chain = chain;
    this.decoder = decoder;
    this.publisher = publisher;
    this.metrics = metrics;
    this.deployments = List.copyOf(deployments);
    this.topic0s = decoder.topic0s();
    this.firstBlock = deployments.stream().mapToLong(Deployment::startBlock).min().orElseThrow();
    this.confirmationDepth = properties.chain().confirmationDepth();
    this.finalizedDepth = properties.chain().finalizedDepth();
    this.maxRange = properties.indexer().maxBlockRange();
    this.range = maxRange;
  }

  /** Replaces the in-memory state with what Kafka holds as committed. */
  void resume(Recovered recovered) {
    this.indexed = recovered.chain();
    this.lastConfirmed = recovered.lastConfirmed();
    this.lastFinalized = recovered.lastFinalized();
    indexed.tipRef().ifPresent(metrics::indexedThrough);
    log.info(
        "Resuming chain {} {}; {} blocks in the reorg window, last CONFIRMED {}, FINALIZED {}",
        chainId,
        indexed
            .tipRef()
            .map(t -> "after block " + t.number() + " " + t.hash())
            .orElse("from start block " + firstBlock + " (no cursor)"),
        indexed.window().size(),
        lastConfirmed,
        lastFinalized);
  }

  IndexedChain indexed() {
    return indexed;
  }

  /**
   * Runs one pass.
   *
   * @return true when the indexer has caught up with the head and should wait before the next pass
   */
  boolean step() {
    long head = chain.headNumber();
    if (head > lastHead) {
      lastHead = head;
      lastHeadSeenNanos = System.nanoTime();
    }
    metrics.observeHead(head);

    Pass pass = new Pass(indexed, lastConfirmed, lastFinalized);
    boolean caughtUp = true;
    for (int attempt = 1; ; attempt++) {
      if (attempt > MAX_REORG_PASSES) {
        throw new ChainMovedException(
            "the chain reorganised " + MAX_REORG_PASSES + " times within one pass");
      }
      long from = pass.chain.nextBlock(firstBlock);
      if (from > head) {
        if (!tipStillCanonical(pass.chain, head)) {
          retract(pass);
          continue;
        }
        if (pass.retractions.isEmpty() && pass.retractedBlocks.isEmpty()) {
          return true;
        }
        break;
      }
      long to = Math.min(head, from + range - 1);
      Optional<RangeRead> read = readRange(pass, from, to, head);
      if (read.isEmpty()) {
        retract(pass);
        continue;
      }
      apply(pass, read.get());
      caughtUp = to >= head;
      break;
    }
    publish(pass);
    range = Math.min(maxRange, range * 2);
    return caughtUp;
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
   * Reads blocks {@code from..to}; empty when {@code from} does not extend the indexed tip (a
   * reorg).
   */
  private Optional<RangeRead> readRange(Pass pass, long from, long to, long head) {
    long windowFloor = head - finalizedDepth;
    long firstWindowBlock = Math.max(from, windowFloor + 1);
    long confirmedTarget = Math.min(to, head - confirmationDepth);
    long finalizedTarget = Math.min(to, head - finalizedDepth);
    boolean confirmedAdvances = confirmedTarget > pass.confirmed && confirmedTarget >= firstBlock;
    boolean finalizedAdvances = finalizedTarget > pass.finalized && finalizedTarget >= firstBlock;

    Set<Long> wanted = new TreeSet<>();
    wanted.add(from);
    wanted.add(to);
    for (long n = firstWindowBlock; n <= to; n++) {
      wanted.add(n);
    }
    if (confirmedAdvances) {
      wanted.add(confirmedTarget);
    }
    if (finalizedAdvances) {
      wanted.add(finalizedTarget);
    }
    // Headers before logs: a log of a block whose header we hold is checked by hash below.
    Map<Long, BlockHeader> headers = new HashMap<>(requireHeaders(wanted));

    BlockRef tip = pass.chain.tip();
    if (tip != null && !headers.get(from).parentHash().equals(tip.hash())) {
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

    List<RawLog> logs;
    try {
      logs = new ArrayList<>(chain.logs(from, to, activeAddresses(to), topic0s));
    } catch (ChainRpcException e) {
      // Providers cap eth_getLogs by range or result size; a smaller range usually passes.
      range = Math.max(1, (int) Math.min(range, to - from + 1) / 2);
      throw e;
    }
    logs.sort(Comparator.comparingLong(RawLog::blockNumber).thenComparingInt(RawLog::logIndex));
    Set<Long> deepBlocks = new TreeSet<>();
    for (RawLog raw : logs) {
      if (raw.blockNumber() < from || raw.blockNumber() > to) {
        throw new ChainRpcException(
            "eth_getLogs(" + from + ".." + to + ") returned a log of block " + raw.blockNumber());
      }
      if (!headers.containsKey(raw.blockNumber())) {
        deepBlocks.add(raw.blockNumber());
      }
    }
    if (!deepBlocks.isEmpty()) {
      headers.putAll(requireHeaders(deepBlocks));
    }

    List<ChainRecord> records = new ArrayList<>(logs.size());
    for (RawLog raw : logs) {
      if (raw.blockNumber() < startBlockOf(raw)) {
        continue;
      }
      BlockHeader header = headers.get(raw.blockNumber());
      if (!header.hash().equals(raw.blockHash())) {
        throw new ChainMovedException(
            "log "
                + raw.txHash()
                + ":"
                + raw.logIndex()
                + " is in a block that is no longer "
                + raw.blockNumber()
                + "'s canonical block");
      }
      decoder.decode(raw, header.timestamp()).ifPresent(records::add);
    }
    return Optional.of(
        new RangeRead(
            from,
            to,
            windowFloor,
            firstWindowBlock,
            headers,
            records,
            confirmedAdvances ? confirmedTarget : -1,
            finalizedAdvances ? finalizedTarget : -1));
  }

  private void apply(Pass pass, RangeRead read) {
    Map<Long, List<ChainRecord>> byBlock = new HashMap<>();
    for (ChainRecord record : read.records) {
      byBlock.computeIfAbsent(record.log().getBlockNumber(), n -> new ArrayList<>()).add(record);
    }
    List<WindowBlock> newWindowBlocks = new ArrayList<>();
    for (long n = read.firstWindowBlock; n <= read.to; n++) {
      BlockHeader header = read.headers.get(n);
      newWindowBlocks.add(
          new WindowBlock(
              n,
              header.hash(),
              header.parentHash(),
              header.timestamp(),
              byBlock.getOrDefault(n, List.of())));
    }
    BlockHeader tipHeader = read.headers.get(read.to);
    pass.chain = pass.chain.extend(BlockRef.of(tipHeader), newWindowBlocks, read.windowFloor);
    pass.records.addAll(read.records);
    pass.blocks += read.to - read.from + 1;
    // HEAD is the newest block whose records are published, not the node's head, and CONFIRMED /
    // FINALIZED never pass it either: a marker never runs ahead of the events it covers.
    pass.progress.add(marker(BlockMarkerKind.HEAD, tipHeader));
    if (read.confirmedTarget >= 0) {
      pass.progress.add(marker(BlockMarkerKind.CONFIRMED, read.headers.get(read.confirmedTarget)));
      pass.confirmed = read.confirmedTarget;
    }
    if (read.finalizedTarget >= 0) {
      pass.progress.add(marker(BlockMarkerKind.FINALIZED, read.headers.get(read.finalizedTarget)));
      pass.finalized = read.finalizedTarget;
    }
  }

  private void publish(Pass pass) {
    publisher.publish(
        new Publication(
            pass.retractions, pass.retractedBlocks, pass.records, pass.progress, pass.chain));
    indexed = pass.chain;
    lastConfirmed = pass.confirmed;
    lastFinalized = pass.finalized;

    metrics.indexedThrough(indexed.tip());
    metrics.published(pass.retractions, true);
    metrics.published(pass.records, false);
    metrics.publishedMarkers(
        Topics.CHAIN_BLOCKS.name(), pass.retractedBlocks.size() + pass.progress.size());
    metrics.publishedMarkers(Topics.INDEXER_CURSOR.name(), 1);
    metrics.blocksIndexed(pass.blocks);
    if (pass.orphanedBlocks > 0) {
      metrics.reorg(pass.orphanedBlocks);
    }
    long tipNumber = indexed.tip().number();
    if (tipNumber == lastHead && lastHeadTimed != lastHead) {
      lastHeadTimed = lastHead;
      metrics.headToPublish(Duration.ofNanos(System.nanoTime() - lastHeadSeenNanos));
    }
    if (log.isDebugEnabled()) {
      log.debug(
          "Published blocks up to {} ({} records, {} retractions)",
          tipNumber,
          pass.records.size(),
          pass.retractions.size());
    }
  }

  private List<Address> activeAddresses(long to) {
    return deployments.stream().filter(d -> d.startBlock() <= to).map(Deployment::address).toList();
  }

  private long startBlockOf(RawLog raw) {
    for (Deployment deployment : deployments) {
      if (deployment.address().equals(raw.address())) {
        return deployment.startBlock();
      }
    }
    // eth_getLogs only returns logs of the addresses asked for; anything else is not ours.
    return Long.MAX_VALUE;
  }

  private Map<Long, BlockHeader> requireHeaders(Set<Long> numbers) {
    Map<Long, BlockHeader> headers = chain.headers(numbers);
    for (long n : numbers) {
      if (!headers.containsKey(n)) {
        throw new ChainMovedException("block " + n + " is not available from the node");
      }
    }
    return headers;
  }

  private BlockMarker marker(BlockMarkerKind kind, BlockHeader header) {
    return new BlockMarker(
        chainId, kind, header.number(), header.hash(), header.parentHash(), header.timestamp());
  }

  /** What one pass has gathered so far; published together or not at all. */
  private static final class Pass {
    IndexedChain chain;
    long confirmed;
    long finalized;
    long blocks;
    int orphanedBlocks;
    final List<ChainRecord> retractions = new ArrayList<>();
    final List<BlockMarker> retractedBlocks = new ArrayList<>();
    final List<ChainRecord> records = new ArrayList<>();
    final List<BlockMarker> progress = new ArrayList<>();

    Pass(IndexedChain chain, long confirmed, long finalized) {
      this.chain = chain;
      this.confirmed = confirmed;
      this.finalized = finalized;
    }
  }

  private record RangeRead(
      long from,
      long to,
      long windowFloor,
      long firstWindowBlock,
      Map<Long, BlockHeader> headers,
      List<ChainRecord> records,
      long confirmedTarget,
      long finalizedTarget) {}
}
