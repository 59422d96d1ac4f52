package com.reservebtc.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.reservebtc.schemas.avro.SyncedEvent;
import com.reservebtc.schemas.serde.AvroValueDeserializer;
import com.reservebtc.schemas.serde.AvroValueSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SerdeRoundTripTest {

  private final AvroValueSerializer serializer = new AvroValueSerializer();
  private final AvroValueDeserializer deserializer = new AvroValueDeserializer();

  static Iterable<Topic<?>> topics() {
    return Topics.all();
  }

  @ParameterizedTest
  @MethodSource("topics")
  void everyCatalogueValueRoundTripsThroughSingleObjectEncoding(Topic<?> topic) {
    for (int seed = 0; seed < 3; seed++) {
      SpecificRecord original = SampleRecords.sample(topic.valueType(), seed);

      byte[] bytes = serializer.serialize(topic.name(), original);
      SpecificRecord decoded = deserializer.deserialize(topic.name(), bytes);

      assertThat(bytes[0]).isEqualTo((byte) 0xC3);
      assertThat(bytes[1]).isEqualTo((byte) 0x01);
      assertThat(decoded).isInstanceOf(topic.valueType()).isEqualTo(original);
    }
  }

  @Test
  void rejectsBytesThatAreNotSingleObjectEncoded() {
    assertThatThrownBy(() -> deserializer.deserialize("t", new byte[] {1, 2, 3}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("not Avro single-object encoded");
  }

  @Test
  void rejectsAnUnknownSchemaFingerprint() {
    byte[] bytes = serializer.serialize("t", SampleRecords.sample(SyncedEvent.class, 1));
    bytes[5] ^= 0x5A;

    assertThatThrownBy(() -> deserializer.deserialize("t", bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("unknown schema");
  }

  @Test
  void rejectsATruncatedDatum() {
    byte[] bytes = serializer.serialize("t", SampleRecords.sample(SyncedEvent.class, 1));
    byte[] truncated = java.util.Arrays.copyOf(bytes, 14);

    assertThatThrownBy(() -> deserializer.deserialize("t", truncated))
        .isInstanceOf(SerializationException.class);
  }

  @Test
  void nullStaysNull() {
    assertThat(serializer.serialize("t", null)).isNull();
    assertThat(deserializer.deserialize("t", null)).isNull();
  }
}
