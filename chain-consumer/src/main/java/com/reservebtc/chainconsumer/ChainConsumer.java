package com.reservebtc.chainconsumer;

import com.reservebtc.schemas.serde.AvroValueDeserializer;
import com.reservebtc.schemas.serde.UnknownSchemaException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
  private final AvroValueDeserializer decoder = new AvroValueDeserializer();
  private final AtomicInteger blocked = new AtomicInteger();
  private final Timer batchTimer;

  ChainConsumer(
      BatchApplier applier, DeadLetters deadLetters, JdbcClient jdbc, MeterRegistry meters) {
    this.applier = applier;
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
  }

  @Override
  public void onMessage(List<ConsumerRecord<String, byte[]>> polled) {
    long started = System.nanoTime();
    List<Consumed> decoded = new ArrayList<>(polled.size());
    Map<Consumed, ConsumerRecord<String, byte[]>> raw = new IdentityHashMap<>();
    List<BatchApplier.Skipped> undecodable = new ArrayList<>();
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
          undecodable.add(skipped(record));
          continue;
        }
        if (value == null) {
          deadLetter(record, new SerializationException("record without a value"));
          undecodable.add(skipped(record));
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
        applyOneByOne(polled, decoded, raw);
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
   * Applies the poll's records one by one in their order per partition: a decoded record in its own
   * transaction (dead-lettered if it fails deterministically), an undecodable one (already
   * dead-lettered) by moving its partition past it. In poll order, so that no partition moves past
   * a record of it that is not applied yet.
   */
  private void applyOneByOne(
      List<ConsumerRecord<String, byte[]>> polled,
      List<Consumed> decoded,
      Map<Consumed, ConsumerRecord<String, byte[]>> raw) {
    Map<ConsumerRecord<String, byte[]>, Consumed> byRecord = new IdentityHashMap<>();
    for (Consumed record : decoded) {
      byRecord.put(raw.get(record), record);
    }
    for (ConsumerRecord<String, byte[]> polledRecord : polled) {
      Consumed record = byRecord.get(polledRecord);
      if (record == null) {
        applier.apply(List.of(), List.of(skipped(polledRecord)));
        continue;
      }
      try {
        applier.apply(List.of(record), List.of());
      } catch (RuntimeException e) {
        if (Failures.isTransient(e)) {
          throw e;
        }
        deadLetter(polledRecord, e);
        applier.apply(List.of(), List.of(skipped(polledRecord)));
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
