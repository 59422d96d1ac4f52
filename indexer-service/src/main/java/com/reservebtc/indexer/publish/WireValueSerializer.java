package com.reservebtc.indexer.publish;

import com.reservebtc.schemas.serde.AvroValueSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The indexer's value serializer: chain records arrive already encoded ({@link
 * com.reservebtc.indexer.decode.ChainRecord#wire()}, the bytes that also go to the reorg window's
 * rows) and pass through; block markers and the cursor are Avro records encoded here. Either way
 * the bytes are Avro single-object encoding. Thread-safe.
 */
final class WireValueSerializer implements Serializer<Object> {

  private final AvroValueSerializer avro = new AvroValueSerializer();

  @Override
  public byte[] serialize(String topic, Object value) {
    if (value instanceof byte[] encoded) {
      return encoded;
    }
    if (value == null || value instanceof SpecificRecord) {
      return avro.serialize(topic, (SpecificRecord) value);
    }
    throw new IllegalArgumentException(
        "cannot publish a " + value.getClass().getName() + " on " + topic);
  }
}
