package com.reservebtc.chainconsumer;

import com.reservebtc.schemas.Topic;
import com.reservebtc.schemas.avro.ChainLogRef;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Which records are chain events: those whose value carries a {@code log} ({@link ChainLogRef}).
 */
final class ChainRecords {

  private static final String LOG_FIELD = "log";

  private ChainRecords() {}

  static boolean isChainTopic(Topic<?> topic) {
    Schema schema = SpecificData.get().getSchema(topic.valueType());
    Schema.Field field = schema.getField(LOG_FIELD);
    return field != null && ChainLogRef.getClassSchema().equals(field.schema());
  }

  static ChainLogRef logOf(SpecificRecord value) {
    Schema.Field field = value.getSchema().getField(LOG_FIELD);
    if (field == null || !(value.get(field.pos()) instanceof ChainLogRef log)) {
      throw new IllegalArgumentException(
          value.getSchema().getFullName() + " is not a chain event (no log)");
    }
    return log;
  }
}
