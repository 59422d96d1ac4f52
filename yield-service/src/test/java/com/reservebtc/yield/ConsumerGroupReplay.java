package com.reservebtc.yield;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * Makes the service read its topics again: either with its committed Kafka offsets moved to 0 (an
 * operator's offset reset or a lost offsets topic: the database positions must keep anything from
 * being applied twice), or into emptied tables (a rebuild from offset 0, as after the upgrade that
 * introduced the chain-consumer).
 */
final class ConsumerGroupReplay implements AutoCloseable {

  /** Tables a rebuild empties: every table derived from the topics, and the consumer's own. */
  static final String REBUILT_TABLES =
      "yield_ledger, yield_scales_participants, yield_scales_state, consumer_positions,"
          + " chain_publications, chain_heights";

  private final Admin admin;
  private final String groupId;
  private final MessageListenerContainer container;

  ConsumerGroupReplay(String bootstrapServers, String groupId, MessageListenerContainer container) {
    this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    this.groupId = groupId;
    this.container = container;
  }

  /** The partitions the group has committed offsets for. */
  Set<TopicPartition> partitions() throws Exception {
    return committed().keySet();
  }

  /** Waits until the group has committed the end offset of every partition it consumes. */
  void awaitCaughtUp(Duration timeout) {
    await()
        .atMost(timeout)
        .ignoreExceptions()
        .until(
            () -> {
              Map<TopicPartition, OffsetAndMetadata> committed = committed();
              Map<TopicPartition, Long> ends = endOffsets(committed.keySet());
              return !committed.isEmpty()
                  && committed.entrySet().stream()
                      .allMatch(e -> e.getValue().offset() >= ends.get(e.getKey()));
            });
  }

  /** Stops the consumer, sets every committed offset of the group to 0, starts it again. */
  void rewindToEarliest(Duration timeout) throws Exception {
    Set<TopicPartition> partitions = partitions();
    stop(timeout);
    Map<TopicPartition, OffsetAndMetadata> zero =
        partitions.stream()
            .collect(Collectors.toMap(Function.identity(), p -> new OffsetAndMetadata(0)));
    // The broker refuses while members of the stopped consumers are still leaving the group.
    await()
        .atMost(timeout)
        .ignoreExceptions()
        .until(
            () -> {
              admin.alterConsumerGroupOffsets(groupId, zero).all().get();
              return committed().values().stream().allMatch(o -> o.offset() == 0);
            });
    container.start();
  }

  /** Stops the consumer, empties {@link #REBUILT_TABLES}, starts it again: it reads from 0. */
  void rebuild(JdbcClient jdbc, Duration timeout) {
    stop(timeout);
    jdbc.sql("truncate " + REBUILT_TABLES).update();
    container.start();
  }

  private void stop(Duration timeout) {
    container.stop();
    await().atMost(timeout).until(() -> !container.isRunning());
  }

  private Map<TopicPartition, OffsetAndMetadata> committed() throws Exception {
    return admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
  }

  private Map<TopicPartition, Long> endOffsets(Set<TopicPartition> partitions) throws Exception {
    return admin
        .listOffsets(
            partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
        .all()
        .get()
        .entrySet()
        .stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
  }

  @Override
  public void close() {
    admin.close();
  }
}
