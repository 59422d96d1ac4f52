package com.reservebtc.yield.outbox;

import com.reservebtc.schemas.Topic;
import com.reservebtc.schemas.serde.AvroValueSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stores a record to publish in the same database transaction as the change that caused it, so a
 * committed change is never left without its message. {@link OutboxRelay} publishes it after the
 * commit. Guarantees at-least-once publication in insertion order; does not publish by itself.
 */
@Component
public class Outbox {

  private final JdbcClient jdbc;

  Outbox(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Transactional(propagation = Propagation.MANDATORY)
  public <V extends SpecificRecord> void add(Topic<V> topic, String key, V value) {
    jdbc.sql("insert into outbox (topic, message_key, payload) values (?, ?, ?)")
        .params(topic.name(), key, AvroValueSerializer.encode(value))
        .update();
  }
}
