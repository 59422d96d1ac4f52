package com.reservebtc.indexer.decode;

import com.reservebtc.schemas.Topic;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.ChainLogRef;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * One record for a chain topic: the topic, its key and the Avro value, which always has a {@code
 * log} field of type {@link ChainLogRef}. The value is not mutated after construction except for
 * its finality, which the ingestor sets once, before the record is first published ({@link
 * #labelled}); {@link #retraction()} returns a copy.
 */
public record ChainRecord(Topic<?> topic, String key, SpecificRecord value) {

  private static final String LOG_FIELD = "log";

  public ChainRecord {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    if (!topic.valueType().isInstance(value)) {
      throw new IllegalArgumentException(
          value.getClass().getSimpleName() + " cannot travel on " + topic.name());
    }
    logOf(value);
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

  public ChainLogRef log() {
    return logOf(value);
  }

  /** Sets the finality the record is published with; call only before its publication. */
  public void labelled(com.reservebtc.schemas.avro.Finality finality) {
    logOf(value).setFinality(finality);
  }

  /** The same event with {@code retracted = true}: consumers undo the event with this identity. */
  public ChainRecord retraction() {
    SpecificRecord copy = deepCopy(value);
    logOf(copy).setRetracted(true);
    return new ChainRecord(topic, key, copy);
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
