package com.reservebtc.schemas.serde;

import com.reservebtc.schemas.Topic;
import com.reservebtc.schemas.Topics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads values written by {@link AvroValueSerializer}. It knows every value type of the {@link
 * Topics catalogue} and every released earlier version of those schemas ({@link SchemaHistory}),
 * recognises the writer schema by the fingerprint in the single-object header and resolves it to
 * the current generated class. Bytes that are not a known single-object datum raise {@link
 * SerializationException} so the consumer's error handler can dead-letter them. Thread-safe after
 * construction.
 */
public final class AvroValueDeserializer implements Deserializer<SpecificRecord> {

  private static final int HEADER_LENGTH = 10;
  private static final byte MARKER_0 = (byte) 0xC3;
  private static final byte MARKER_1 = (byte) 0x01;

  private final Map<Long, BinaryMessageDecoder<SpecificRecord>> decodersByFingerprint;

  public AvroValueDeserializer() {
    this(List.of());
  }

  /**
   * Also reads records written with {@code writerSchemas}: other versions of catalogue value types
   * than the generated classes and {@link SchemaHistory} (e.g. a newer producer's, once this reader
   * has been given it), resolved to the current class like the released ones.
   *
   * @throws IllegalArgumentException if a schema is no version of a catalogue value type
   */
  public AvroValueDeserializer(Collection<Schema> writerSchemas) {
    Map<Long, BinaryMessageDecoder<SpecificRecord>> decoders = buildDecoders();
    Map<String, BinaryMessageDecoder<SpecificRecord>> byName = new HashMap<>();
    for (Topic<?> topic : Topics.all()) {
      Schema current = SpecificData.getForClass(topic.valueType()).getSchema(topic.valueType());
      byName.put(
          current.getFullName(), decoders.get(SchemaNormalization.parsingFingerprint64(current)));
    }
    for (Schema writer : writerSchemas) {
      BinaryMessageDecoder<SpecificRecord> decoder = byName.get(writer.getFullName());
      if (decoder == null) {
        throw new IllegalArgumentException(
            writer.getFullName() + " is no value type of the topic catalogue");
      }
      decoder.addSchema(writer);
      decoders.put(SchemaNormalization.parsingFingerprint64(writer), decoder);
    }
    this.decodersByFingerprint = Map.copyOf(decoders);
  }

  @Override
  public SpecificRecord deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    if (data.length < HEADER_LENGTH || data[0] != MARKER_0 || data[1] != MARKER_1) {
      throw new SerializationException(
          "record on " + topic + " is not Avro single-object encoded (" + data.length + " bytes)");
    }
    long fingerprint = ByteBuffer.wrap(data, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    BinaryMessageDecoder<SpecificRecord> decoder = decodersByFingerprint.get(fingerprint);
    if (decoder == null) {
      throw new UnknownSchemaException(
          "record on "
              + topic
              + " was written with an unknown schema (fingerprint "
              + Long.toHexString(fingerprint)
              + "); upgrade this service (consumers before producers when a schema changes)",
          fingerprint);
    }
    try {
      return decoder.decode(data);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("cannot decode record on " + topic, e);
    }
  }

  /** Decodes outside Kafka, e.g. for tests and tools. */
  public static SpecificRecord decode(byte[] data) {
    return new AvroValueDeserializer().deserialize(null, data);
  }

  private static Map<Long, BinaryMessageDecoder<SpecificRecord>> buildDecoders() {
    Map<Long, BinaryMessageDecoder<SpecificRecord>> decoders = new HashMap<>();
    for (Topic<?> topic : Topics.all()) {
      Class<?> type = topic.valueType();
      SpecificData model = SpecificData.getForClass(type);
      Schema current = model.getSchema(type);
      BinaryMessageDecoder<SpecificRecord> decoder = new BinaryMessageDecoder<>(model, current);
      decoders.put(SchemaNormalization.parsingFingerprint64(current), decoder);
      for (Schema earlier : SchemaHistory.releasedVersionsOf(current.getFullName())) {
        decoder.addSchema(earlier);
        decoders.put(SchemaNormalization.parsingFingerprint64(earlier), decoder);
      }
    }
    return decoders;
  }
}
