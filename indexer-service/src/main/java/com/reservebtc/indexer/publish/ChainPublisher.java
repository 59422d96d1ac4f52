package com.reservebtc.indexer.publish;

import com.reservebtc.indexer.config.IndexerProperties;
import com.reservebtc.indexer.decode.ChainRecord;
import com.reservebtc.schemas.Keys;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.BlockMarker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
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
 * resumes exactly after the last committed cursor.
 *
 * <p>The transactional id is fixed per chain ({@code spring.kafka.producer.transaction-id-prefix}
 * plus a single suffix), so a newly started instance fences the old one. Not thread-safe: one
 * ingest thread per chain uses it.
 */
@Component
public class ChainPublisher {

  private final KafkaTemplate<String, SpecificRecord> template;
  private final ProducerFactory<?, ?> producerFactory;
  private final long chainId;
  private final String chainKey;
  private final CursorCodec codec = new CursorCodec();

  ChainPublisher(
      KafkaTemplate<String, SpecificRecord> template,
      ProducerFactory<?, ?> producerFactory,
      IndexerProperties properties) {
    if (!template.isTransactional()) {
      throw new IllegalStateException(
          "the indexer needs a transactional producer: set"
              + " spring.kafka.producer.transaction-id-prefix");
    }
    this.template = template;
    this.producerFactory = producerFactory;
    this.chainId = properties.chain().id();
    this.chainKey = Keys.chain(chainId);
  }

  /**
   * Opens the transactional producer, which fences any earlier producer with the same transactional
   * id and completes or aborts its open transaction. Call before reading the cursor, so that the
   * cursor read cannot be overtaken by a late commit of an earlier instance.
   */
  public void fence() {
    runTransaction("fence earlier instances", ops -> {});
  }

  /** Publishes everything in one transaction; returns once it is committed. */
  public void publish(Publication publication) {
    List<CompletableFuture<SendResult<String, SpecificRecord>>> sends = new ArrayList<>();
    runTransaction(
        "publish blocks up to " + publication.cursor().tip().number(),
        ops -> {
          for (ChainRecord record : publication.retractions()) {
            sends.add(ops.send(record.topic().name(), record.key(), record.value()));
          }
          for (BlockMarker marker : publication.retractedBlocks()) {
            sends.add(ops.send(Topics.CHAIN_BLOCKS.name(), chainKey, marker));
          }
          for (ChainRecord record : publication.records()) {
            sends.add(ops.send(record.topic().name(), record.key(), record.value()));
          }
          for (BlockMarker marker : publication.progress()) {
            sends.add(ops.send(Topics.CHAIN_BLOCKS.name(), chainKey, marker));
          }
          sends.add(
              ops.send(
                  Topics.INDEXER_CURSOR.name(),
                  chainKey,
                  codec.toAvro(chainId, publication.cursor(), System.currentTimeMillis())));
        });
    // The commit succeeded, so every send did; joining surfaces a broken invariant loudly.
    CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
  }

  private void runTransaction(String what, Consumer<KafkaOperations<String, SpecificRecord>> body) {
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
      if (isFenced(e)) {
        throw new FencedOutException(
            "another indexer instance for chain " + chainId + " took over (producer fenced)", e);
      }
      throw new PublishFailedException("Kafka transaction to " + what + " failed", e);
    }
  }

  private static boolean isFenced(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException) {
        return true;
      }
    }
    return false;
  }
}
