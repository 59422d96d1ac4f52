package com.reservebtc.chainconsumer;

import com.reservebtc.schemas.serde.AvroValueDeserializer;
import com.reservebtc.schemas.serde.UnknownSchemaException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;

/**
 * The listener of a service's catalogue topics: each poll is one batch.
 *
 * <p>Guarantees: a batch is applied in one database transaction ({@link BatchApplier}), after which
 * Kafka's offsets are committed; the database positions are the truth, and every assigned partition
 * is sought to its stored position, so a record is applied exactly once whatever the consumer's
 * committed offset says. A transient failure (see {@link Failures}) rolls the batch back and is
 * rethrown to the container's error handler, which retries it without limit with a growing pause
 * while the partitions stay paused ({@code rbtc.consumer.blocked} = 1, one WARN line per episode):
 * nothing is dead-lettered because PostgreSQL fails over or the broker is down. Any other failure
 * makes the batch's records be applied one by one, each in its own transaction; the one that fails
 * is dead-lettered ({@link DeadLetters}) and its partition moves past it. A record whose bytes are
 * not a known Avro value is dead-lettered as it is; one written with a schema this service does not
 * know yet is transient (the service waits for its upgrade).
 */
final class ChainConsumer
    implements BatchMessageListener<String, byte[]>, ConsumerAwareRebalanceListener {

  private static final Logger log = LoggerFactory.getLogger(ChainConsumer.class);

  private final BatchApplier applier;
  private final DeadLetters deadLetters;
  private final JdbcClient jdbc;
  private final AvroValueDeserializer decoder;
  private final AtomicInteger blocked = new AtomicInteger();
  private final Timer batchTimer;

  ChainConsumer(
      BatchApplier applier,
      DeadLetters deadLetters,
      JdbcClient jdbc,
      MeterRegistry meters,
      AvroValueDeserializer decoder) {
    this.applier = applier;
    this.decoder = decoder;
    this.deadLetters = deadLetters;
    this.jdbc = jdbc;
    Gauge.builder("rbtc.consumer.blocked", blocked, AtomicInteger::get)
        .description(
            "1 while a transient failure (database, broker, unknown schema) holds consumption back")
        .register(meters);
    this.batchTimer =
        Timer.builder("rbtc.consumer.batch")
            .description("applying one polled batch in one database transaction")
            .publishPercentileHistogram()
            .register(meters);
  }

  @Override
  public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    // The database positions are the truth: a partition this service never applied anything of
    // starts at its beginning, whatever offset the group committed (e.g. the read model was
    // emptied to be rebuilt).
    Map<TopicPartition, Long> stored = new ConsumerPositions(jdbc).read(partitions);
    List<TopicPartition> fromStart = new ArrayList<>();
    for (TopicPartition partition : partitions) {
      Long next = stored.get(partition);
      if (next == null) {
        fromStart.add(partition);
      } else {
        consumer.seek(partition, next);
        log.debug("{} resumes at its stored position {}", partition, next);
      }
    }
    if (!fromStart.isEmpty()) {
      consumer.seekToBeginning(fromStart);
      log.debug("{} start at their beginning: nothing of them applied yet", fromStart);
    }
    // The group's committed offsets follow the stored positions at once (they only serve lag
    // metrics), also when nothing new arrives to commit after.
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    stored.forEach((partition, next) -> commit.put(partition, new OffsetAndMetadata(next)));
    if (!commit.isEmpty()) {
      try {
        consumer.commitSync(commit);
      } catch (RuntimeException e) {
        log.debug("could not commit the stored positions to the group: {}", e.toString());
      }
    }
  }

  @Override
  public void onMessage(List<ConsumerRecord<String, byte[]>> polled) {
    long started = System.nanoTime();
    List<Consumed> decoded = new ArrayList<>(polled.size());
    List<BatchApplier.Skipped> undecodable = new ArrayList<>();
    // every polled record in poll order (per partition: offset order), decoded or skipped
    List<Object> inOrder = new ArrayList<>(polled.size());
    Map<Consumed, ConsumerRecord<String, byte[]>> raw = new IdentityHashMap<>();
    try {
      for (ConsumerRecord<String, byte[]> record : polled) {
        SpecificRecord value;
        try {
          value =
              record.value() == null ? null : decoder.deserialize(record.topic(), record.value());
        } catch (UnknownSchemaException e) {
          throw e;
        } catch (SerializationException e) {
          deadLetter(record, e);
          BatchApplier.Skipped skipped = skipped(record);
          undecodable.add(skipped);
          inOrder.add(skipped);
          continue;
        }
        if (value == null) {
          deadLetter(record, new SerializationException("record without a value"));
          BatchApplier.Skipped skipped = skipped(record);
          undecodable.add(skipped);
          inOrder.add(skipped);
          continue;
        }
        Consumed consumed =
            new Consumed(
                record.topic(),
                record.partition(),
                record.offset(),
                record.key(),
                value,
                record.timestamp());
        decoded.add(consumed);
        inOrder.add(consumed);
        raw.put(consumed, record);
      }
      try {
        applier.apply(decoded, undecodable);
      } catch (RuntimeException e) {
        if (Failures.isTransient(e)) {
          throw e;
        }
        log.warn(
            "a batch of {} records failed ({}); applying them one by one to find the record",
            decoded.size(),
            DeadLetters.rootCause(e).toString());
        applyOneByOne(inOrder, raw);
      }
    } catch (RuntimeException e) {
      if (Failures.isTransient(e)) {
        if (blocked.getAndSet(1) == 0) {
          log.warn(
              "consumption paused by a transient failure, retried until it clears: {}",
              DeadLetters.rootCause(e).toString());
        }
      }
      throw e;
    }
    if (blocked.getAndSet(0) == 1) {
      log.info("consumption resumed");
    }
    batchTimer.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /**
   * Each record in its own transaction, strictly in offset order per partition: a partition's
   * position never passes a record that is not applied or dead-lettered yet.
   */
  private void applyOneByOne(
      List<Object> inOrder, Map<Consumed, ConsumerRecord<String, byte[]>> raw) {
    for (Object entry : inOrder) {
      if (entry instanceof BatchApplier.Skipped skip) {
        applier.apply(List.of(), List.of(skip));
        continue;
      }
      Consumed record = (Consumed) entry;
      try {
        applier.apply(List.of(record), List.of());
      } catch (RuntimeException e) {
        if (Failures.isTransient(e)) {
          throw e;
        }
        deadLetter(raw.get(record), e);
        applier.apply(
            List.of(),
            List.of(new BatchApplier.Skipped(record.topic(), record.partition(), record.offset())));
      }
    }
  }

  private void deadLetter(ConsumerRecord<String, byte[]> record, Throwable cause) {
    deadLetters.publish(
        record.topic(),
        record.partition(),
        record.offset(),
        record.timestamp(),
        record.key(),
        record.value(),
        cause);
  }

  private static BatchApplier.Skipped skipped(ConsumerRecord<String, byte[]> record) {
    return new BatchApplier.Skipped(record.topic(), record.partition(), record.offset());
  }

  boolean blocked() {
    return blocked.get() == 1;
  }
}
