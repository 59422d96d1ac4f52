package com.reservebtc.chainconsumer;

import com.reservebtc.schemas.EventIds;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.BlockMarker;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies records to the service's {@link Projection} in one database transaction, together with
 * what makes that exactly-once: the partitions' positions (records below a position were applied
 * before and are left out; the position moves from the value read to after the last record), the
 * inbox of chain-event publications, and the chains' heights from block markers.
 *
 * <p>For a replayed dead letter no position moves (the record's own partition went past it when it
 * was dead-lettered); the inbox and the markers' offsets still drop a replay that something newer
 * already superseded.
 */
final class BatchApplier {

  private final TransactionTemplate transactions;
  private final ConsumerPositions positions;
  private final PublicationInbox inbox;
  private final ChainHeightsStore heights;
  private final Projection projection;
  private final Set<String> chainTopics;
  private final MeterRegistry meters;

  BatchApplier(
      TransactionTemplate transactions,
      JdbcClient jdbc,
      Projection projection,
      Set<String> chainTopics,
      MeterRegistry meters) {
    this.transactions = transactions;
    this.positions = new ConsumerPositions(jdbc);
    this.inbox = new PublicationInbox(jdbc);
    this.heights = new ChainHeightsStore(jdbc);
    this.projection = projection;
    this.chainTopics = Set.copyOf(chainTopics);
    this.meters = meters;
  }

  /**
   * Applies {@code records} (per partition in offset order) and advances their partitions; {@code
   * skipped} are records of the same poll that are not applied (dead-lettered) but whose partitions
   * advance past them all the same. Returns the records applied (those not applied before).
   */
  List<Consumed> apply(List<Consumed> records, List<Skipped> skipped) {
    return transactions.execute(
        status -> {
          Map<TopicPartition, Long> stored = positions.read(partitionsOf(records, skipped));
          List<Consumed> fresh = new ArrayList<>();
          for (Consumed record : records) {
            Long next = stored.get(new TopicPartition(record.topic(), record.partition()));
            if (next == null || record.offset() >= next) {
              fresh.add(record);
            }
          }
          applyInTransaction(fresh, false);
          Map<TopicPartition, Long> ends = new LinkedHashMap<>();
          for (Consumed record : fresh) {
            ends.merge(
                new TopicPartition(record.topic(), record.partition()),
                record.offset() + 1,
                Math::max);
          }
          for (Skipped skip : skipped) {
            TopicPartition partition = new TopicPartition(skip.topic(), skip.partition());
            Long next = stored.get(partition);
            if (next == null || skip.offset() >= next) {
              ends.merge(partition, skip.offset() + 1, Math::max);
            }
          }
          positions.advanceAll(stored, ends);
          return fresh;
        });
  }

  /**
   * Applies one replayed dead letter (no position moves) and, in the same transaction, {@code
   * remember} (which records the replay).
   */
  void replay(Consumed record, Runnable remember) {
    transactions.executeWithoutResult(
        status -> {
          applyInTransaction(List.of(record), true);
          remember.run();
        });
  }

  private void applyInTransaction(List<Consumed> records, boolean replay) {
    if (records.isEmpty()) {
      return;
    }
    List<Consumed> markers = new ArrayList<>();
    List<Consumed> chainEvents = new ArrayList<>();
    Set<Long> chains = new TreeSet<>();
    for (Consumed record : records) {
      if (record.value() instanceof BlockMarker marker) {
        markers.add(record);
        chains.add(marker.getChainId());
      } else if (chainTopics.contains(record.topic())) {
        chainEvents.add(record);
        chains.add(ChainRecords.logOf(record.value()).getChainId());
      }
    }
    Map<Long, Heights> chainHeights;
    List<HeightChange> moved;
    Supplier<Map<Long, Heights>> held;
    if (markers.isEmpty()) {
      // No lock: only a projection that labels with finality now takes the heights for share.
      chainHeights = heights.read(chains);
      moved = List.of();
      held = () -> heights.lock(chains, false);
    } else {
      // Markers move heights: the chains' rows are held for update until commit.
      chainHeights = heights.lock(chains, true);
      moved = heights.apply(markers, chainHeights);
      Map<Long, Heights> afterMarkers = Map.copyOf(chainHeights);
      held = () -> afterMarkers;
    }
    List<ChainChange> changes = inbox.classify(chainEvents);
    projection.apply(new Batch(records, changes, moved, chainHeights, replay, held));
    for (Consumed record : records) {
      meters.counter("rbtc.consumer.records", "topic", record.topic()).increment();
    }
  }

  private static List<TopicPartition> partitionsOf(List<Consumed> records, List<Skipped> skipped) {
    Set<TopicPartition> partitions = new java.util.LinkedHashSet<>();
    records.forEach(r -> partitions.add(new TopicPartition(r.topic(), r.partition())));
    skipped.forEach(s -> partitions.add(new TopicPartition(s.topic(), s.partition())));
    return List.copyOf(partitions);
  }

  /** A record of a poll that is not applied (it went to its dead-letter topic). */
  record Skipped(String topic, int partition, long offset) {}

  /** The event id of a chain record, for logs. */
  static String describe(Consumed record) {
    if (Topics.byName(record.topic()).isPresent() && !(record.value() instanceof BlockMarker)) {
      try {
        return record.topic()
            + "-"
            + record.partition()
            + "@"
            + record.offset()
            + " ("
            + EventIds.of(ChainRecords.logOf(record.value()))
            + ")";
      } catch (IllegalArgumentException notAChainEvent) {
        // fall through
      }
    }
    return record.topic() + "-" + record.partition() + "@" + record.offset();
  }
}
