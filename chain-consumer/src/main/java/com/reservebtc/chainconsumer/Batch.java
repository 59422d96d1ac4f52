package com.reservebtc.chainconsumer;

import com.reservebtc.schemas.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a {@link Projection} applies in one database transaction: the records of one poll (or one
 * replayed dead letter) that were not applied before.
 *
 * <p>{@link #chainChanges()} are the effective changes of chain events (the inbox of publications
 * already dropped redeliveries, obsolete copies and no-op retractions), in consumption order per
 * partition. {@link #heightChanges()} are the block heights this batch's markers moved, and {@link
 * #heights()} the heights after them. A batch with markers holds its chains' heights for its whole
 * transaction; any other batch read them without a lock, which is enough for what is labelled when
 * read. A projection that labels something with finality now (a stream event) calls {@link
 * #holdHeights()} just before it labels: from then until commit no height of those chains changes,
 * and a height change that comes after sees everything this batch wrote. Every other record is in
 * {@link #values}.
 *
 * @param records every decoded record of the batch that was not applied before, per partition in
 *     offset order
 * @param chainChanges the effective changes of chain events
 * @param heightChanges heights moved by markers of this batch, in marker order
 * @param heights the heights of every chain the batch touches, after its markers
 * @param replay whether this is a dead letter being replayed
 * @param heldHeights takes the chains' heights for share and returns them (see {@link
 *     #holdHeights()})
 */
public record Batch(
    List<Consumed> records,
    List<ChainChange> chainChanges,
    List<HeightChange> heightChanges,
    Map<Long, Heights> heights,
    boolean replay,
    Supplier<Map<Long, Heights>> heldHeights) {

  public Batch {
    records = List.copyOf(records);
    chainChanges = List.copyOf(chainChanges);
    heightChanges = List.copyOf(heightChanges);
    heights = Map.copyOf(heights);
    Supplier<Map<Long, Heights>> hold = heldHeights;
    Map<Long, Heights>[] once = new Map[1];
    heldHeights =
        () -> {
          if (once[0] == null) {
            once[0] = Map.copyOf(hold.get());
          }
          return once[0];
        };
  }

  /**
   * Holds the heights of the batch's chains until the transaction ends and returns them: labels
   * computed from these agree with every concurrent height change (it either committed before, or
   * waits for this batch and then sees its rows). Called again, returns the same heights.
   */
  public Map<Long, Heights> holdHeights() {
    return heldHeights.get();
  }

  /** The held heights of {@code chainId} (see {@link #holdHeights()}). */
  public Heights heldHeightsOf(long chainId) {
    return holdHeights().getOrDefault(chainId, Heights.unknown(chainId));
  }

  /** The values of {@code topic}'s records in this batch, in offset order per partition. */
  public <V extends org.apache.avro.specific.SpecificRecord> List<V> values(Topic<V> topic) {
    List<V> values = new ArrayList<>();
    for (Consumed record : records) {
      if (record.topic().equals(topic.name())) {
        values.add(topic.valueType().cast(record.value()));
      }
    }
    return values;
  }

  /** The records of {@code topic}, in offset order per partition. */
  public List<Consumed> recordsOf(Topic<?> topic) {
    return records.stream().filter(r -> r.topic().equals(topic.name())).toList();
  }

  /** The heights of {@code chainId} (unknown heights if no marker of it was ever seen). */
  public Heights heightsOf(long chainId) {
    return heights.getOrDefault(chainId, Heights.unknown(chainId));
  }

  public boolean isEmpty() {
    return records.isEmpty();
  }
}
