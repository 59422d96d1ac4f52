package com.reservebtc.gateway.projection;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The {@code processed_events} table. {@link #claim} must run in the transaction that applies the
 * record: the id and the effect are committed together or not at all.
 */
@Component
class Inbox {

  private final JdbcClient jdbc;

  Inbox(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Records {@code id}; false if it was already recorded (the record is a redelivery). */
  boolean claim(String id, String topic) {
    return jdbc.sql(
                "INSERT INTO processed_events (event_id, topic) VALUES (:id, :topic)"
                    + " ON CONFLICT (event_id) DO NOTHING")
            .param("id", id)
            .param("topic", topic)
            .update()
        == 1;
  }
}
