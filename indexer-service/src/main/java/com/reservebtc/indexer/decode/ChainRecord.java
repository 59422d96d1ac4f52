package com.reservebtc.indexer.decode;

import com.reservebtc.schemas.Topic;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.ChainLogRef;
import com.reservebtc.schemas.avro.Finality;
import com.reservebtc.schemas.serde.AvroValueSerializer;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * One record for a chain topic: the topic, its key and the Avro value, which always has a {@code
 * log} field of type {@link ChainLogRef}. The value is not mutated after construction except for
 * its finality, which the ingestor sets once, before the record is first published ({@link
 * #labelled}); {@link #retraction()} returns a copy.
 *
 * <p>{@link #wire()} is the value as it travels (Avro single-object bytes), encoded once and kept
 * for the finality it was encoded with: the same bytes go to Kafka and to the reorg window's rows,
 * and they may be made on another thread before publication (fetch workers do it for ranges that
 * will be published FINALIZED). A record labelled differently afterwards is encoded again. Equality
 * is that of topic, key and value.
 */
public final class ChainRecord {

  private static final String LOG_FIELD = "log";
  private static final AvroValueSerializer SERIALIZER = new AvroValueSerializer();

  /** Bytes of the value as encoded with {@code finality}. */
  private record Wire(Finality finality, byte[] bytes) {}

  private final Topic<?> topic;
  private final String key;
  private final SpecificRecord value;
  // The value's log field; the value never gets another one (only its finality changes).
  private final ChainLogRef log;
  // Written by the thread that encodes; read after a hand-over that orders it (a Future's result).
  private volatile Wire wire;

  public ChainRecord(Topic<?> topic, String key, SpecificRecord value) {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    if (!topic.valueType().isInstance(value)) {
      throw new IllegalArgumentException(
          value.getClass().getSimpleName() + " cannot travel on " + topic.name());
    }
    this.log = logOf(value);
    this.topic = topic;
    this.key = key;
    this.value = value;
  }

  /** Builds the record for a value, deriving topic and key from it. */
  public static ChainRecord of(SpecificRecord value) {
    return new ChainRecord(RecordKeys.topicOf(value), RecordKeys.keyOf(value), value);
  }

  /** Rebuilds a record from a stored value and the name of the topic it was published on. */
  public static ChainRecord of(String topicName, SpecificRecord value) {
    Topic<?> topic =
        Topics.byName(topicName)
            .orElseThrow(() -> new IllegalArgumentException("unknown topic " + topicName));
    return new ChainRecord(topic, RecordKeys.keyOf(value), value);
  }

  public Topic<?> topic() {
    return topic;
  }

  public String key() {
    return key;
  }

  public SpecificRecord value() {
    return value;
  }

  public ChainLogRef log() {
    return log;
  }

  /** Sets the finality the record is published with; call only before its publication. */
  public void labelled(Finality finality) {
    log.setFinality(finality);
  }

  /**
   * The value's single-object bytes with its current finality; encoded on the first call (and again
   * after a relabelling), the same array afterwards. Callers must not modify it.
   */
  public byte[] wire() {
    Finality finality = log.getFinality();
    Wire current = wire;
    if (current == null || current.finality() != finality) {
      current = new Wire(finality, SERIALIZER.serialize(topic.name(), value));
      wire = current;
    }
    return current.bytes();
  }

  /** The same event with {@code retracted = true}: consumers undo the event with this identity. */
  public ChainRecord retraction() {
    SpecificRecord copy = deepCopy(value);
    logOf(copy).setRetracted(true);
    return new ChainRecord(topic, key, copy);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ChainRecord that
        && topic.equals(that.topic)
        && key.equals(that.key)
        && value.equals(that.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, key, value);
  }

  @Override
  public String toString() {
    return "ChainRecord[topic=" + topic + ", key=" + key + ", value=" + value + "]";
  }

  private static SpecificRecord deepCopy(SpecificRecord value) {
    Schema schema = value.getSchema();
    return SpecificData.getForSchema(schema).deepCopy(schema, value);
  }

  private static ChainLogRef logOf(SpecificRecord value) {
    Schema.Field field = value.getSchema().getField(LOG_FIELD);
    if (field == null || !(value.get(field.pos()) instanceof ChainLogRef log)) {
      throw new IllegalArgumentException(
          value.getSchema().getFullName() + " is not a chain record (no ChainLogRef log field)");
    }
    return log;
  }
}
