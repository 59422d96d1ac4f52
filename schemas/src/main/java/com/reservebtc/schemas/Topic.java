package com.reservebtc.schemas;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;

/**
 * A Kafka topic of the product: its name, what its keys mean and the Avro type of its values.
 *
 * <p>Keys are always UTF-8 strings on the wire; {@link KeyKind} says which string.
 *
 * @param name the topic name
 * @param valueType the only value type written to the topic
 * @param keyKind what the record key holds
 * @param compacted whether the topic keeps only the latest value per key
 * @param writer the one service that writes the topic (enforced by ACLs in a deployment)
 * @param readers the services that consume it; each also writes the topic's dead letters
 * @param partitions how many partitions the topic has in a deployment (keyed ordering holds per
 *     partition; consumers scale up to this many threads or replicas)
 */
public record Topic<V extends SpecificRecord>(
    String name,
    Class<V> valueType,
    KeyKind keyKind,
    boolean compacted,
    Service writer,
    Set<Service> readers,
    int partitions) {

  public Topic {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(valueType, "valueType");
    Objects.requireNonNull(keyKind, "keyKind");
    Objects.requireNonNull(writer, "writer");
    readers = readers.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(readers));
    if (partitions < 1) {
      throw new IllegalArgumentException(name + ": partitions must be >= 1, was " + partitions);
    }
  }

  /** Whether {@code service} consumes this topic. */
  public boolean readBy(Service service) {
    return readers.contains(service);
  }

  /** The dead-letter topic for records of this topic that could not be processed. */
  public String deadLetter() {
    return Topics.deadLetterOf(name);
  }

  /** What a record key holds. */
  public enum KeyKind {
    /** The user's lowercased 0x address ({@link Keys#user(String)}). */
    USER,
    /** The decimal EVM chain id ({@link Keys#chain(long)}). */
    CHAIN,
    /** The constant {@link Keys#GLOBAL} or, for pool-wide events on a per-user topic, mixed. */
    GLOBAL
  }
}
