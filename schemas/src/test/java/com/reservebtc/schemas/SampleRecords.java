package com.reservebtc.schemas;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/** Builds a fully populated instance of any generated record, with values derived from a seed. */
final class SampleRecords {

  private SampleRecords() {}

  static <V extends SpecificRecord> V sample(Class<V> type, int seed) {
    SpecificData model = SpecificData.getForClass(type);
    Schema schema = model.getSchema(type);
    return type.cast(model.deepCopy(schema, value(schema, seed)));
  }

  private static Object value(Schema schema, int seed) {
    return switch (schema.getType()) {
      case RECORD -> {
        GenericData.Record record = new GenericData.Record(schema);
        int i = 0;
        for (Schema.Field field : schema.getFields()) {
          record.put(field.pos(), value(field.schema(), seed + i++));
        }
        yield record;
      }
      case UNION -> {
        List<Schema> branches = schema.getTypes();
        Schema nonNull =
            branches.stream()
                .filter(s -> s.getType() != Schema.Type.NULL)
                .skip(Math.floorMod(seed, Math.max(1, branches.size() - 1)))
                .findFirst()
                .orElse(branches.get(0));
        yield value(nonNull, seed);
      }
      case ENUM ->
          new GenericData.EnumSymbol(
              schema, schema.getEnumSymbols().get(seed % schema.getEnumSymbols().size()));
      case ARRAY -> {
        List<Object> items = new ArrayList<>();
        items.add(value(schema.getElementType(), seed));
        items.add(value(schema.getElementType(), seed + 1));
        yield new GenericData.Array<>(schema, items);
      }
      case STRING -> "s" + seed;
      case BYTES -> java.nio.ByteBuffer.wrap(new byte[] {(byte) seed, 1, 2});
      case LONG -> 1_000_000_000_000L + seed;
      case INT -> seed;
      case BOOLEAN -> seed % 2 == 0;
      case NULL -> null;
      default -> throw new IllegalArgumentException("no sample for " + schema.getType());
    };
  }
}
