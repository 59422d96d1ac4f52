package com.reservebtc.schemas.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes any generated Avro record with Avro single-object encoding (a two-byte marker, the 8-byte
 * CRC-64-AVRO fingerprint of the writer schema, then the binary datum), so a reader can tell the
 * schema without a registry. Thread-safe.
 */
public final class AvroValueSerializer implements Serializer<SpecificRecord> {

  private final Map<Class<?>, BinaryMessageEncoder<SpecificRecord>> encoders =
      new ConcurrentHashMap<>();

  @Override
  public byte[] serialize(String topic, SpecificRecord value) {
    if (value == null) {
      return null;
    }
    try {
      ByteBuffer buffer = encoderFor(value).encode(value);
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "cannot encode " + value.getSchema().getFullName() + " for topic " + topic, e);
    }
  }

  private BinaryMessageEncoder<SpecificRecord> encoderFor(SpecificRecord value) {
    return encoders.computeIfAbsent(
        value.getClass(),
        type -> new BinaryMessageEncoder<>(SpecificData.getForClass(type), value.getSchema()));
  }

  /** Encodes outside Kafka, e.g. for tests and tools. */
  public static byte[] encode(SpecificRecord value) {
    return new AvroValueSerializer().serialize(null, value);
  }
}
