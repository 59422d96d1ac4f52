package com.reservebtc.indexer.publish;

import com.reservebtc.indexer.config.IndexerProperties;
import com.reservebtc.indexer.reorg.IndexedChain;
import com.reservebtc.schemas.Keys;
import com.reservebtc.schemas.Topic;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.BlockMarker;
import com.reservebtc.schemas.avro.IndexerCursor;
import com.reservebtc.schemas.serde.AvroValueDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.stereotype.Component;

/**
 * Reads the indexer's committed state back from Kafka with read_committed isolation: the last
 * cursor of this chain (whole compacted cursor topic, beginning to end) with the digest of its
 * bytes, and the last CONFIRMED / FINALIZED markers (the tail of the blocks topic), so a restart
 * neither skips nor repeats.
 *
 * <p>Only meaningful after {@link ChainPublisher#fence()}: otherwise a transaction of an earlier
 * instance could still commit after the read.
 */
@Component
public class CursorReader {

  /** Enough offsets for well over a hundred transactions of markers. */
  private static final long MARKER_TAIL = 2_000;

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  private final ConsumerFactory<String, SpecificRecord> consumerFactory;
  private final long chainId;
  private final String chainKey;
  private final CursorCodec codec = new CursorCodec();
  private final AvroValueDeserializer deserializer = new AvroValueDeserializer();

  CursorReader(
      ConsumerFactory<String, SpecificRecord> consumerFactory, IndexerProperties properties) {
    this.consumerFactory = consumerFactory;
    this.chainId = properties.chain().id();
    this.chainKey = Keys.chain(chainId);
  }

  public Recovered read() {
    Map<String, Object> config = new HashMap<>(consumerFactory.getConfigurationProperties());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "indexer-recovery-" + chainId);
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      byte[][] cursorBytes = new byte[1][];
      readToEnd(
          consumer,
          Topics.INDEXER_CURSOR,
          Long.MAX_VALUE,
          record -> {
            if (chainKey.equals(record.key()) && record.value() != null) {
              cursorBytes[0] = record.value();
            }
          });
      long[] markers = {-1, -1};
      readToEnd(
          consumer,
          Topics.CHAIN_BLOCKS,
          MARKER_TAIL,
          record -> {
            if (chainKey.equals(record.key())
                && deserializer.deserialize(record.topic(), record.value())
                    instanceof BlockMarker m) {
              switch (m.getKind()) {
                case CONFIRMED -> markers[0] = Math.max(markers[0], m.getBlockNumber());
                case FINALIZED -> markers[1] = Math.max(markers[1], m.getBlockNumber());
                default -> {}
              }
            }
          });
      if (cursorBytes[0] == null) {
        return new Recovered(IndexedChain.empty(), markers[0], markers[1], null, 0);
      }
      if (!(deserializer.deserialize(Topics.INDEXER_CURSOR.name(), cursorBytes[0])
          instanceof IndexerCursor cursor)) {
        throw new IllegalStateException(
            "the record under key "
                + chainKey
                + " of "
                + Topics.INDEXER_CURSOR.name()
                + " is not an IndexerCursor");
      }
      return new Recovered(
          codec.fromAvro(cursor),
          markers[0],
          markers[1],
          CursorDigest.of(cursor),
          cursor.getUpdatedAtMillis());
    }
  }

  private static void readToEnd(
      KafkaConsumer<String, byte[]> consumer,
      Topic<?> topic,
      long tail,
      Consumer<ConsumerRecord<String, byte[]>> sink) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), READ_TIMEOUT);
    if (infos == null || infos.isEmpty()) {
      throw new IllegalStateException(
          "topic " + topic.name() + " does not exist; create the product's topics first");
    }
    List<TopicPartition> partitions = new ArrayList<>();
    infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
    consumer.assign(partitions);
    Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, READ_TIMEOUT);
    // With read_committed this is the last stable offset: nothing undecided is read.
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_TIMEOUT);
    for (TopicPartition partition : partitions) {
      long from =
          tail == Long.MAX_VALUE
              ? begin.get(partition)
              : Math.max(begin.get(partition), end.get(partition) - tail);
      consumer.seek(partition, from);
    }
    long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
    while (!atEnd(consumer, partitions, end)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "could not read " + topic.name() + " to its end within " + READ_TIMEOUT);
      }
      consumer.poll(Duration.ofMillis(200)).forEach(sink);
    }
    consumer.unsubscribe();
  }

  private static boolean atEnd(
      KafkaConsumer<String, byte[]> consumer,
      List<TopicPartition> partitions,
      Map<TopicPartition, Long> end) {
    for (TopicPartition partition : partitions) {
      if (consumer.position(partition) < end.get(partition)) {
        return false;
      }
    }
    return true;
  }
}
