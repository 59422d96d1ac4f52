package com.reservebtc.indexer.publish;

import com.reservebtc.indexer.config.IndexerProperties;
import com.reservebtc.indexer.coverage.CoverageRepository;
import com.reservebtc.indexer.decode.ChainRecord;
import com.reservebtc.indexer.reorg.IndexedChain;
import com.reservebtc.indexer.reorg.WindowRepository;
import com.reservebtc.schemas.Keys;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.BlockMarker;
import com.reservebtc.schemas.avro.IndexerCursor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;

/**
 * Publishes a {@link Publication} (records, block markers and the cursor covering them) in one
 * Kafka transaction, so a read_committed consumer sees all of it or none of it, and a restart
 * resumes exactly after the last committed cursor. Before the transaction commits, the
 * publication's new window blocks (with their records) are stored in the database under their
 * hashes and its coverage under the cursor's digest, so the committed cursor always has both.
 *
 * <p>Invariants the consumers rely on:
 *
 * <ul>
 *   <li>Every record of an event identity ({@code chainId:txHash:logIndex}) and its retraction go
 *       to the same topic with the same key (so the same partition, in publication order): the
 *       retraction is the published record itself, read back from the window, with {@code retracted
 *       = true}.
 *   <li>A retraction is published for every record of an orphaned block (the window holds them
 *       all), before that block's RETRACTED marker and any lowered HEAD / CONFIRMED / FINALIZED
 *       marker, in the same transaction.
 *   <li>Nothing is published twice in committed transactions: each transaction starts after the
 *       last committed cursor, and a newer instance fences this one (one transactional id per
 *       chain, plus the ingest lease).
 * </ul>
 *
 * <p>The transactional id is fixed per chain ({@code spring.kafka.producer.transaction-id-prefix}
 * plus a single suffix), so a newly started instance fences the old one. Not thread-safe: one
 * ingest thread per chain uses it.
 */
@Component
public class ChainPublisher {

  private final KafkaTemplate<String, Object> template;
  private final ProducerFactory<?, ?> producerFactory;
  private final CoverageRepository coverage;
  private final IngestLease lease;
  private final WindowRepository windows;
  private final long chainId;
  private final int historyBlocks;
  private final String chainKey;
  private final CursorCodec codec = new CursorCodec();
  private long lastMillis;
  private long committedSeq;
  private long epoch;
  private long prunedBelow = -1;

  ChainPublisher(
      KafkaTemplate<String, Object> template,
      ProducerFactory<?, ?> producerFactory,
      CoverageRepository coverage,
      IngestLease lease,
      WindowRepository windows,
      IndexerProperties properties) {
    if (!template.isTransactional()) {
      throw new IllegalStateException(
          "the indexer needs a transactional producer: set"
              + " spring.kafka.producer.transaction-id-prefix");
    }
    this.template = template;
    this.producerFactory = producerFactory;
    this.coverage = coverage;
    this.lease = lease;
    this.windows = windows;
    this.chainId = properties.chain().id();
    this.historyBlocks = properties.indexer().rewindHistoryBlocks();
    this.chainKey = Keys.chain(chainId);
  }

  /**
   * Opens the transactional producer, which fences any earlier producer with the same transactional
   * id and completes or aborts its open transaction. Call before reading the cursor, so that the
   * cursor read cannot be overtaken by a late commit of an earlier instance.
   *
   * <p>The first call takes a new ingest lease for the chain. Later calls (recovery after a failed
   * transaction) first check that the lease is still this instance's: if a newer instance has
   * started meanwhile, this one stops rather than take the chain back from it.
   *
   * @throws FencedOutException if a newer instance holds the lease
   */
  public void fence() {
    if (epoch == 0) {
      epoch = lease.claim(chainId);
    } else {
      requireLease();
    }
    runTransaction("fence earlier instances", ops -> {});
  }

  /**
   * Continues after what {@link CursorReader} found: new cursors are stamped later than the
   * committed one, coverage rows older than its row are pruned, and a window read from a cursor of
   * an earlier release is stored in the database (the next cursor no longer carries it).
   */
  public void resumeAfter(Recovered recovered, long committedCoverageSeq) {
    lastMillis = Math.max(lastMillis, recovered.cursorMillis());
    committedSeq = committedCoverageSeq;
    if (recovered.legacyWindow()) {
      requireLease();
      windows.store(chainId, epoch, recovered.chain().window());
    }
  }

  /** Approximate size in bytes of the last cursor record written (0 before the first). */
  public int lastCursorBytes() {
    return codec.lastEncodedBytes();
  }

  /** Publishes everything in one transaction; returns once it is committed. */
  public void publish(Publication publication) {
    // Strictly increasing, so two cursors never share bytes (and digest).
    lastMillis = Math.max(System.currentTimeMillis(), lastMillis + 1);
    IndexerCursor cursor =
        codec.toAvro(
            chainId,
            publication.cursor(),
            publication.confirmed(),
            publication.finalized(),
            lastMillis);
    String digest = CursorDigest.of(cursor);
    List<CompletableFuture<SendResult<String, Object>>> sends = new ArrayList<>();
    long[] seq = {0};
    runTransaction(
        "publish blocks up to " + publication.cursor().tip().number(),
        ops -> {
          for (ChainRecord record : publication.retractions()) {
            sends.add(ops.send(record.topic().name(), record.key(), record.wire()));
          }
          for (BlockMarker marker : publication.retractedBlocks()) {
            sends.add(ops.send(Topics.CHAIN_BLOCKS.name(), chainKey, marker));
          }
          for (ChainRecord record : publication.records()) {
            sends.add(ops.send(record.topic().name(), record.key(), record.wire()));
          }
          for (BlockMarker marker : publication.progress()) {
            sends.add(ops.send(Topics.CHAIN_BLOCKS.name(), chainKey, marker));
          }
          // While the sends are on their way: the window's new blocks and the coverage of this
          // cursor, durable before the commit.
          windows.store(chainId, epoch, publication.newWindowBlocks());
          seq[0] =
              coverage
                  .save(
                      chainId,
                      epoch,
                      digest,
                      publication.cursor().tip(),
                      publication.coverage(),
                      committedSeq)
                  .orElseThrow(this::supersededFailure);
          sends.add(ops.send(Topics.INDEXER_CURSOR.name(), chainKey, cursor));
        });
    committedSeq = seq[0];
    // The commit succeeded, so every send did; joining surfaces a broken invariant loudly.
    CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
    prune(publication.cursor());
  }

  /**
   * Drops window rows {@code rewind-history-blocks} below the committed window, in steps, so the
   * table stays bounded without a delete per transaction.
   */
  private void prune(IndexedChain committed) {
    long floor =
        committed.window().isEmpty()
            ? committed.tip().number() + 1
            : committed.window().get(0).number();
    long below = floor - historyBlocks;
    if (below > prunedBelow + Math.max(16, historyBlocks / 8)) {
      windows.prune(chainId, below);
      prunedBelow = below;
    }
  }

  private void runTransaction(String what, Consumer<KafkaOperations<String, Object>> body) {
    try {
      template.executeInTransaction(
          ops -> {
            body.accept(ops);
            return Boolean.TRUE;
          });
    } catch (RuntimeException e) {
      // The outcome may be unknown (e.g. a commit timeout): drop the producer so the next one
      // re-initialises the transactional id, which settles whatever the broker holds.
      producerFactory.reset();
      FencedOutException superseded = find(e, FencedOutException.class);
      if (superseded != null) {
        throw superseded;
      }
      if (has(e, ProducerFencedException.class) || has(e, InvalidProducerEpochException.class)) {
        throw new FencedOutException(
            "another indexer instance for chain " + chainId + " took over (producer fenced)", e);
      }
      throw new PublishFailedException("Kafka transaction to " + what + " failed", e);
    }
  }

  private void requireLease() {
    if (lease.current(chainId) != epoch) {
      throw supersededFailure();
    }
  }

  private FencedOutException supersededFailure() {
    return new FencedOutException(
        "another indexer instance for chain "
            + chainId
            + " took over (ingest lease epoch "
            + lease.current(chainId)
            + " is newer than this instance's "
            + epoch
            + ")",
        null);
  }

  private static boolean has(Throwable e, Class<? extends Throwable> type) {
    return find(e, type) != null;
  }

  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
