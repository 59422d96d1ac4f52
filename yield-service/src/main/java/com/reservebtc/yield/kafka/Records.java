package com.reservebtc.yield.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Checks that a consumed value is the type its topic promises. */
public final class Records {

  private Records() {}

  public static <V> V valueOf(ConsumerRecord<String, ?> record, Class<V> type) {
    Object value = record.value();
    if (!type.isInstance(value)) {
      throw new MalformedEventException(
          "expected "
              + type.getSimpleName()
              + " on "
              + record.topic()
              + " but got "
              + (value == null ? "null" : value.getClass().getSimpleName())
              + " at offset "
              + record.offset());
    }
    return type.cast(value);
  }
}
