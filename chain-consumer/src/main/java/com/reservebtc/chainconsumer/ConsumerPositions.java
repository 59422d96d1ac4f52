package com.reservebtc.chainconsumer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
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
   * Moves each partition from the position read ({@code expected}, absent: no row yet) to its new
   * one, in two statements whatever the number of partitions.
   *
   * @throws PositionConflictException if another consumer moved any of them meanwhile
   */
  void advanceAll(Map<TopicPartition, Long> expected, Map<TopicPartition, Long> next) {
    List<TopicPartition> inserts = new ArrayList<>();
    List<TopicPartition> updates = new ArrayList<>();
    for (TopicPartition partition : next.keySet()) {
      (expected.get(partition) == null ? inserts : updates).add(partition);
    }
    int moved = 0;
    if (!inserts.isEmpty()) {
      moved +=
          jdbc.sql(
                  """
                  insert into consumer_positions (topic, partition, next_offset)
                  select * from unnest(:topics::text[], :partitions::int[], :next::bigint[])
                  on conflict do nothing
                  """)
              .param("topics", inserts.stream().map(TopicPartition::topic).toArray(String[]::new))
              .param(
                  "partitions",
                  inserts.stream().map(TopicPartition::partition).toArray(Integer[]::new))
              .param("next", inserts.stream().map(next::get).toArray(Long[]::new))
              .update();
    }
    if (!updates.isEmpty()) {
      moved +=
          jdbc.sql(
                  """
                  update consumer_positions p set next_offset = v.next, updated_at = now()
                  from unnest(:topics::text[], :partitions::int[], :expected::bigint[],
                      :next::bigint[]) as v(topic, partition, expected, next)
                  where p.topic = v.topic and p.partition = v.partition
                    and p.next_offset = v.expected
                  """)
              .param("topics", updates.stream().map(TopicPartition::topic).toArray(String[]::new))
              .param(
                  "partitions",
                  updates.stream().map(TopicPartition::partition).toArray(Integer[]::new))
              .param("expected", updates.stream().map(expected::get).toArray(Long[]::new))
              .param("next", updates.stream().map(next::get).toArray(Long[]::new))
              .update();
    }
    if (moved != next.size()) {
      throw new PositionConflictException(
          "a partition of "
              + next.keySet()
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
