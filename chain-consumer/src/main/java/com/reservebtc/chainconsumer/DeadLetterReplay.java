package com.reservebtc.chainconsumer;

import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.serde.AvroValueDeserializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The operator command that replays a dead-letter topic into this service: every record of {@code
 * <topic>.dlt} that this service's consumer group dead-lettered and did not replay yet is applied
 * as the publication it was (its original topic, partition and offset), each in its own
 * transaction, and remembered in {@code dead_letter_replays}.
 *
 * <p>Nothing is written to the original topic (it keeps one writer). A replayed chain event that a
 * newer publication superseded meanwhile (retracted, re-mined) changes nothing — the inbox of
 * publications orders them — and a replayed marker never moves a height back. A record that fails
 * again stays in the dead-letter topic, unreplayed, for the next replay after a fix. Dead letters
 * of other services' groups on the same topic are left alone.
 */
public final class DeadLetterReplay {

  private static final Logger log = LoggerFactory.getLogger(DeadLetterReplay.class);
  private static final Duration POLL = Duration.ofMillis(500);

  private final Supplier<Consumer<String, byte[]>> consumers;
  private final BatchApplier applier;
  private final JdbcClient jdbc;
  private final String group;
  private final Set<String> topics;

  DeadLetterReplay(
      Supplier<Consumer<String, byte[]>> consumers,
      BatchApplier applier,
      JdbcClient jdbc,
      String group,
      Set<String> topics) {
    this.consumers = consumers;
    this.applier = applier;
    this.jdbc = jdbc;
    this.group = group;
    this.topics = Set.copyOf(topics);
  }

  /**
   * Replays {@code topic}'s dead letters of this service.
   *
   * @param topic a catalogue topic this service consumes (not the {@code .dlt} name)
   * @throws IllegalArgumentException for a topic this service does not consume
   */
  public synchronized Result replay(String topic) {
    if (!topics.contains(topic)) {
      throw new IllegalArgumentException(
          "this service consumes no topic '" + topic + "'; it consumes " + topics);
    }
    String deadLetterTopic = Topics.deadLetterOf(topic);
    int replayed = 0;
    int skipped = 0;
    int failed = 0;
    int others = 0;
    try (Consumer<String, byte[]> consumer = consumers.get()) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(deadLetterTopic).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      Map<TopicPartition, Long> done = new HashMap<>();
      while (!reached(consumer, ends, done)) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
          done.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
          if (!group.equals(header(record, DeadLetters.GROUP))) {
            others++;
            continue;
          }
          if (alreadyReplayed(record)) {
            skipped++;
            continue;
          }
          try {
            SpecificRecord value = AvroValueDeserializer.decode(record.value());
            applier.replay(
                new Consumed(
                    header(record, DeadLetters.ORIGINAL_TOPIC),
                    Integer.parseInt(header(record, DeadLetters.ORIGINAL_PARTITION)),
                    Long.parseLong(header(record, DeadLetters.ORIGINAL_OFFSET)),
                    record.key(),
                    value,
                    Long.parseLong(header(record, DeadLetters.ORIGINAL_TIMESTAMP))),
                () -> remember(record));
            replayed++;
          } catch (RuntimeException e) {
            if (Failures.isTransient(e)) {
              throw e;
            }
            failed++;
            log.warn(
                "dead letter {}-{}@{} still fails: {}",
                record.topic(),
                record.partition(),
                record.offset(),
                DeadLetters.rootCause(e).toString());
          }
        }
      }
    }
    Result result = new Result(topic, replayed, skipped, failed, others);
    log.info("replayed dead letters of {}: {}", topic, result);
    return result;
  }

  private static boolean reached(
      Consumer<String, byte[]> consumer,
      Map<TopicPartition, Long> ends,
      Map<TopicPartition, Long> done) {
    for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
      long position =
          Math.max(done.getOrDefault(end.getKey(), 0L), consumer.position(end.getKey()));
      if (position < end.getValue()) {
        return false;
      }
    }
    return true;
  }

  private boolean alreadyReplayed(ConsumerRecord<String, byte[]> record) {
    return jdbc.sql(
                "select count(*) from dead_letter_replays where dlt_topic = :t and partition = :p"
                    + " and dlt_offset = :o")
            .param("t", record.topic())
            .param("p", record.partition())
            .param("o", record.offset())
            .query(Long.class)
            .single()
        > 0;
  }

  private void remember(ConsumerRecord<String, byte[]> record) {
    jdbc.sql(
            "insert into dead_letter_replays (dlt_topic, partition, dlt_offset, outcome)"
                + " values (:t, :p, :o, 'APPLIED') on conflict do nothing")
        .param("t", record.topic())
        .param("p", record.partition())
        .param("o", record.offset())
        .update();
  }

  private static String header(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /**
   * @param topic the topic whose dead letters were replayed
   * @param replayed applied now (or found superseded by something newer: nothing to change)
   * @param alreadyReplayed replayed before
   * @param failed failing again: left for a later replay
   * @param otherServices dead-lettered by another service's group: left alone
   */
  public record Result(
      String topic, int replayed, int alreadyReplayed, int failed, int otherServices) {}
}
