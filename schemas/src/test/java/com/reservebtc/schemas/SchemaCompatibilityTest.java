package com.reservebtc.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.reservebtc.schemas.avro.SyncedEvent;
import com.reservebtc.schemas.serde.AvroValueSerializer;
import com.reservebtc.schemas.serde.SchemaHistory;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

class SchemaCompatibilityTest {

  @Test
  void everyCatalogueSchemaHasAReleasedVersion() {
    List<String> current =
        Topics.all().stream().map(t -> schemaOf(t.valueType()).getFullName()).toList();

    assertThat(SchemaHistory.all().keySet()).containsExactlyInAnyOrderElementsOf(current);
  }

  @Test
  void currentSchemasCanReadEveryReleasedVersion() {
    for (Topic<?> topic : Topics.all()) {
      Schema reader = schemaOf(topic.valueType());
      for (Schema writer : SchemaHistory.releasedVersionsOf(reader.getFullName())) {
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType())
            .as("%s must read its released version", reader.getFullName())
            .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
      }
    }
  }

  @Test
  void addingAFieldWithADefaultStaysBackwardCompatible() {
    Schema current = schemaOf(SyncedEvent.class);
    Schema next = withExtraField(current, "{\"type\":\"string\"}", "\"none\"");

    assertThat(SchemaCompatibility.checkReaderWriterCompatibility(next, current).getType())
        .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
  }

  @Test
  void addingAFieldWithoutADefaultIsCaughtAsIncompatible() {
    Schema current = schemaOf(SyncedEvent.class);
    Schema next = withExtraField(current, "{\"type\":\"string\"}", null);

    assertThat(SchemaCompatibility.checkReaderWriterCompatibility(next, current).getType())
        .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
  }

  @Test
  void aReaderOfTheNextVersionDecodesRecordsWrittenToday() throws Exception {
    Schema current = schemaOf(SyncedEvent.class);
    Schema next = withExtraField(current, "{\"type\":\"string\"}", "\"none\"");
    SyncedEvent written = SampleRecords.sample(SyncedEvent.class, 7);
    byte[] bytes = AvroValueSerializer.encode(written);

    BinaryMessageDecoder<GenericRecord> decoder =
        new BinaryMessageDecoder<>(GenericData.get(), next);
    decoder.addSchema(current);
    GenericRecord read = decoder.decode(ByteBuffer.wrap(bytes));

    assertThat(read.get("user").toString()).isEqualTo(written.getUser());
    assertThat(read.get("newBalanceSats")).isEqualTo(written.getNewBalanceSats());
    assertThat(read.get("addedLater").toString()).isEqualTo("none");
  }

  private static Schema schemaOf(Class<?> type) {
    return SpecificData.getForClass(type).getSchema(type);
  }

  private static Schema withExtraField(Schema schema, String type, String defaultJson) {
    String field =
        "{\"name\":\"addedLater\",\"type\":"
            + type
            + (defaultJson == null ? "" : ",\"default\":" + defaultJson)
            + "}";
    String fields =
        schema.getFields().stream()
            .map(f -> "{\"name\":\"" + f.name() + "\",\"type\":" + f.schema() + "}")
            .collect(Collectors.joining(","));
    String json =
        "{\"type\":\"record\",\"name\":\""
            + schema.getName()
            + "\",\"namespace\":\""
            + schema.getNamespace()
            + "\",\"fields\":["
            + fields
            + ","
            + field
            + "]}";
    return new Schema.Parser().parse(json);
  }
}
