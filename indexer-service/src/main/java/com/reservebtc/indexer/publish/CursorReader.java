package com.reservebtc.indexer.publish;

import com.reservebtc.indexer.chain.BlockRef;
import com.reservebtc.indexer.config.IndexerProperties;
import com.reservebtc.indexer.config.IndexerProperties.OnDeletedCursor;
import com.reservebtc.indexer.reorg.IndexedChain;
import com.reservebtc.indexer.reorg.WindowBlock;
import com.reservebtc.indexer.reorg.WindowRepository;
import com.reservebtc.schemas.Keys;
import com.reservebtc.schemas.Topic;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.BlockMarker;
import com.reservebtc.schemas.avro.IndexerCursor;
import com.reservebtc.schemas.serde.AvroValueDeserializer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

/**
 * Reads the indexer's committed state back with read_committed isolation: the last cursor record of
 * this chain, found by reading only the tail of the compacted cursor topic (the last 64 offsets,
 * widened eightfold until a record of this chain turns up), and the window's blocks and records
 * from the database, reached from the cursor's tip hash. So a restart neither skips nor repeats,
 * and its cost does not grow with the topic's history.
 *
 * <p>A tombstone as the chain's latest record means the cursor was deleted: {@link
 * CursorDeletedException} unless {@code rbtc.indexer.on-deleted-cursor=start-over}. Cursors of
 * earlier releases (window records inside, marker heights absent) are read too: their heights come
 * from the latest CONFIRMED / FINALIZED markers in the tail of the blocks topic.
 *
 * <p>Only meaningful after {@link ChainPublisher#fence()}: otherwise a transaction of an earlier
 * instance could still commit after the read.
 */
@Component
public class CursorReader {

  private static final Logger log = LoggerFactory.getLogger(CursorReader.class);

  /** Offsets of the cursor topic read first; widened while no record of this chain is found. */
  private static final long CURSOR_TAIL = 64;

  /** Enough offsets for well over a hundred transactions of markers. */
  private static final long MARKER_TAIL = 2_000;

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  private final ConsumerFactory<String, SpecificRecord> consumerFactory;
  private final WindowRepository windows;
  private final long chainId;
  private final String chainKey;
  private final OnDeletedCursor onDeleted;
  private final CursorCodec codec = new CursorCodec();
  private final AvroValueDeserializer deserializer = new AvroValueDeserializer();
  private final AtomicLong cursorRecordsRead = new AtomicLong();

  CursorReader(
      ConsumerFactory<String, SpecificRecord> consumerFactory,
      WindowRepository windows,
      IndexerProperties properties,
      MeterRegistry registry) {
    Gauge.builder("rbtc.indexer.recovery.cursor.records", cursorRecordsRead, AtomicLong::get)
        .description(
            "Records of the cursor topic read at the last start to find this chain's cursor: the"
                + " tail only, however long the topic's history")
        .tag("chain", Long.toString(properties.chain().id()))
        .register(registry);
    this.consumerFactory = consumerFactory;
    this.windows = windows;
    this.chainId = properties.chain().id();
    this.chainKey = Keys.chain(chainId);
    this.onDeleted = properties.indexer().onDeletedCursor();
  }

  /** A record found under this chain's key: its value (null for a tombstone) and offset. */
  private record Found(byte[] value, long offset) {}

  public Recovered read() {
    Map<String, Object> config = new HashMap<>(consumerFactory.getConfigurationProperties());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "indexer-recovery-" + chainId);
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      Found found = latestCursorRecord(consumer);
      IndexerCursor cursor = null;
      if (found != null && found.value() == null) {
        String what =
            "the cursor of chain "
                + chainId
                + " was deleted (a tombstone at offset "
                + found.offset()
                + " of "
                + Topics.INDEXER_CURSOR.name()
                + ")";
        if (onDeleted != OnDeletedCursor.START_OVER) {
          throw new CursorDeletedException(
              what
                  + ": the indexer no longer knows what it published, and starting over would"
                  + " publish every event again. Restore the cursor record, or, if every consumer"
                  + " was reset too, set rbtc.indexer.on-deleted-cursor=start-over"
                  + " (RBTC_INDEXER_ON_DELETED_CURSOR) to index again from the start blocks");
        }
        log.warn("{}: starting over from the configured start blocks (on-deleted-cursor)", what);
      } else if (found != null) {
        if (!(deserializer.deserialize(Topics.INDEXER_CURSOR.name(), found.value())
            instanceof IndexerCursor c)) {
          throw new IllegalStateException(
              "the record under key "
                  + chainKey
                  + " of "
                  + Topics.INDEXER_CURSOR.name()
                  + " is not an IndexerCursor");
        }
        cursor = c;
      }
      long[] heights =
          cursor != null && cursor.getConfirmedBlock() >= 0
              ? new long[] {cursor.getConfirmedBlock(), cursor.getFinalizedBlock()}
              : latestMarkerHeights(consumer);
      if (cursor == null) {
        return new Recovered(IndexedChain.empty(), heights[0], heights[1], null, 0, false);
      }
      boolean legacy = CursorCodec.legacyWindow(cursor);
      IndexedChain chain = legacy ? codec.fromLegacyAvro(cursor) : withWindow(cursor);
      log.info(
          "Chain {}: committed cursor at offset {} of {}: block {} {}, {} blocks in the reorg"
              + " window{}",
          chainId,
          found.offset(),
          Topics.INDEXER_CURSOR.name(),
          cursor.getBlockNumber(),
          cursor.getBlockHash(),
          chain.window().size(),
          legacy ? " (cursor of an earlier release: its window moves to the database)" : "");
      return new Recovered(
          chain,
          heights[0],
          heights[1],
          CursorDigest.of(cursor),
          cursor.getUpdatedAtMillis(),
          legacy);
    }
  }

  private IndexedChain withWindow(IndexerCursor cursor) {
    BlockRef tip = new BlockRef(cursor.getBlockNumber(), cursor.getBlockHash());
    long from = cursor.getWindowFromBlock();
    if (from < 0) {
      return new IndexedChain(tip, List.of());
    }
    List<WindowBlock> window = windows.chain(chainId, tip.hash(), tip.number(), from);
    long expected = tip.number() - from + 1;
    if (window.size() < expected) {
      log.warn(
          "Chain {}: only {} of the {} blocks of the reorg window ({}..{}) are in the database"
              + " (was it replaced?); a reorg below block {} cannot be retracted until those blocks"
              + " have left the window",
          chainId,
          window.size(),
          expected,
          from,
          tip.number(),
          tip.number() - window.size() + 1);
    }
    return new IndexedChain(tip, window);
  }

  /** The last record under this chain's key, reading the cursor topic's tail only. */
  private Found latestCursorRecord(KafkaConsumer<String, byte[]> consumer) {
    List<TopicPartition> partitions = partitions(consumer, Topics.INDEXER_CURSOR);
    Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, READ_TIMEOUT);
    // With read_committed this is the last stable offset: nothing undecided is read.
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_TIMEOUT);
    Found latest = null;
    long latestTimestamp = Long.MIN_VALUE;
    long[] read = {0};
    for (TopicPartition partition : partitions) {
      long first = begin.get(partition);
      long last = end.get(partition);
      for (long tail = CURSOR_TAIL; ; tail *= 8) {
        long from = Math.max(first, last - tail);
        Found[] found = {null};
        long[] timestamp = {Long.MIN_VALUE};
        readRange(
            consumer,
            partition,
            from,
            last,
            record -> {
              read[0]++;
              if (chainKey.equals(record.key())) {
                found[0] = new Found(record.value(), record.offset());
                timestamp[0] = record.timestamp();
              }
            });
        if (found[0] != null || from == first) {
          if (found[0] != null && timestamp[0] >= latestTimestamp) {
            latest = found[0];
            latestTimestamp = timestamp[0];
          }
          break;
        }
      }
    }
    cursorRecordsRead.set(read[0]);
    return latest;
  }

  /** Heights of the latest CONFIRMED and FINALIZED markers in topic order, -1 where none. */
  private long[] latestMarkerHeights(KafkaConsumer<String, byte[]> consumer) {
    List<TopicPartition> partitions = partitions(consumer, Topics.CHAIN_BLOCKS);
    Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, READ_TIMEOUT);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_TIMEOUT);
    long[] heights = {-1, -1};
    for (TopicPartition partition : partitions) {
      readRange(
          consumer,
          partition,
          Math.max(begin.get(partition), end.get(partition) - MARKER_TAIL),
          end.get(partition),
          record -> {
            if (chainKey.equals(record.key())
                && record.value() != null
                && deserializer.deserialize(record.topic(), record.value())
                    instanceof BlockMarker m) {
              switch (m.getKind()) {
                case CONFIRMED -> heights[0] = m.getBlockNumber();
                case FINALIZED -> heights[1] = m.getBlockNumber();
                default -> {}
              }
            }
          });
    }
    return heights;
  }

  private static List<TopicPartition> partitions(
      KafkaConsumer<String, byte[]> consumer, Topic<?> topic) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), READ_TIMEOUT);
    if (infos == null || infos.isEmpty()) {
      throw new IllegalStateException(
          "topic " + topic.name() + " does not exist; create the product's topics first");
    }
    List<TopicPartition> partitions = new ArrayList<>();
    infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
    return partitions;
  }

  private static void readRange(
      KafkaConsumer<String, byte[]> consumer,
      TopicPartition partition,
      long from,
      long end,
      java.util.function.Consumer<ConsumerRecord<String, byte[]>> sink) {
    consumer.assign(List.of(partition));
    consumer.seek(partition, from);
    long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
    while (consumer.position(partition) < end) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "could not read " + partition + " to offset " + end + " within " + READ_TIMEOUT);
      }
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        if (record.offset() < end) {
          sink.accept(record);
        }
      }
    }
    consumer.unsubscribe();
  }
}
