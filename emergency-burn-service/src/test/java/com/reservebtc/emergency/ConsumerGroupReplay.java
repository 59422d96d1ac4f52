package com.reservebtc.emergency;

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
 * Makes the service's consumer group read every topic again from offset 0, as after an offset reset
 * by an operator or a lost offsets topic (stops the consumer, moves the group's committed offsets
 * to 0, starts it again), or rebuilds the read model from offset 0 into empty tables.
 */
final class ConsumerGroupReplay implements AutoCloseable {

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

  /**
   * Waits until the service's stored positions (its database, not the group's offsets) have reached
   * the end of every partition the group consumes.
   */
  void awaitApplied(Duration timeout, JdbcClient jdbc) {
    await()
        .atMost(timeout)
        .ignoreExceptions()
        .until(
            () -> {
              Map<TopicPartition, Long> ends = endOffsets(committed().keySet());
              for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                long stored =
                    jdbc.sql(
                            "select coalesce(max(next_offset), 0) from consumer_positions"
                                + " where topic = ? and partition = ?")
                        .params(end.getKey().topic(), end.getKey().partition())
                        .query(Long.class)
                        .single();
                if (stored < end.getValue()) {
                  return false;
                }
              }
              return !ends.isEmpty();
            });
  }

  /** Stops the listeners, sets every committed offset of the group to 0, starts them again. */
  void rewindToEarliest(Duration timeout) throws Exception {
    Set<TopicPartition> partitions = partitions();
    container.stop();
    await().atMost(timeout).until(() -> !container.isRunning());
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

  /**
   * Stops the consumer, empties {@code tables} (the read model and the consumer's own state), and
   * starts it again: with no stored position, every partition is read from its beginning.
   */
  void rebuild(Duration timeout, JdbcClient jdbc, String... tables) {
    container.stop();
    await().atMost(timeout).until(() -> !container.isRunning());
    jdbc.sql("truncate " + String.join(", ", tables)).update();
    container.start();
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
