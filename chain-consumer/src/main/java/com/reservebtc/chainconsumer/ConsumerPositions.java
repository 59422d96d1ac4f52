package com.reservebtc.chainconsumer;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code consumer_positions}: per partition the next offset to apply. Read and advanced inside the
 * transaction that applies the records, and only from the value read ({@link #advance} is
 * conditional), so two consumers that briefly hold one partition cannot both apply a batch.
 */
final class ConsumerPositions {

  private final JdbcClient jdbc;

  ConsumerPositions(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** The stored next offsets of {@code partitions} (absent: nothing applied yet). */
  Map<TopicPartition, Long> read(Collection<TopicPartition> partitions) {
    Map<TopicPartition, Long> positions = new HashMap<>();
    if (partitions.isEmpty()) {
      return positions;
    }
    String[] topics = partitions.stream().map(TopicPartition::topic).toArray(String[]::new);
    Integer[] numbers = partitions.stream().map(TopicPartition::partition).toArray(Integer[]::new);
    jdbc.sql(
            """
            select p.topic, p.partition, p.next_offset
            from consumer_positions p
            join unnest(:topics::text[], :partitions::int[]) as w(topic, partition)
              on w.topic = p.topic and w.partition = p.partition
            """)
        .param("topics", topics)
        .param("partitions", numbers)
        .query(
            rs -> {
              positions.put(new TopicPartition(rs.getString(1), rs.getInt(2)), rs.getLong(3));
            });
    return positions;
  }

  /**
   * Moves the partition from {@code expected} (null: no row yet) to {@code next}.
   *
   * @throws PositionConflictException if another consumer moved it meanwhile
   */
  void advance(TopicPartition partition, Long expected, long next) {
    int updated =
        expected == null
            ? jdbc.sql(
                    "insert into consumer_positions (topic, partition, next_offset)"
                        + " values (:topic, :partition, :next) on conflict do nothing")
                .param("topic", partition.topic())
                .param("partition", partition.partition())
                .param("next", next)
                .update()
            : jdbc.sql(
                    "update consumer_positions set next_offset = :next, updated_at = now()"
                        + " where topic = :topic and partition = :partition"
                        + " and next_offset = :expected")
                .param("topic", partition.topic())
                .param("partition", partition.partition())
                .param("next", next)
                .param("expected", expected)
                .update();
    if (updated != 1) {
      throw new PositionConflictException(
          partition
              + " was advanced by another consumer meanwhile (a rebalance); not applied here");
    }
  }

  /** Another consumer applied the partition concurrently; the batch is rolled back and retried. */
  static final class PositionConflictException extends RuntimeException {
    PositionConflictException(String message) {
      super(message);
    }
  }
}
