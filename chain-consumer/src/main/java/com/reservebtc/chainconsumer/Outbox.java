package com.reservebtc.chainconsumer;

import com.reservebtc.schemas.Topic;
import com.reservebtc.schemas.serde.AvroValueSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Records the service publishes because of what it consumed: written to {@code chain_outbox} in the
 * transaction that decided them (so they exist exactly when the change does), published by the
 * {@link OutboxRelay} after that transaction commits, in insertion order. Delivery is at least
 * once: a crash between the broker's acknowledgement and marking the row publishes it again.
 */
public final class Outbox {

  private final JdbcClient jdbc;
  private final OutboxRelay relay;
  private final AvroValueSerializer serializer = new AvroValueSerializer();

  Outbox(JdbcClient jdbc, OutboxRelay relay) {
    this.jdbc = jdbc;
    this.relay = relay;
  }

  /** Adds a record to publish once the current transaction commits. */
  public <V extends SpecificRecord> void add(Topic<V> topic, String key, V value) {
    if (!TransactionSynchronizationManager.isActualTransactionActive()) {
      throw new IllegalStateException("Outbox.add must run inside the transaction of the change");
    }
    jdbc.sql(
            "insert into chain_outbox (topic, message_key, payload) values (:topic, :key, :payload)")
        .param("topic", topic.name())
        .param("key", key)
        .param("payload", serializer.serialize(topic.name(), value))
        .update();
    if (TransactionSynchronizationManager.getResource(this) == null) {
      TransactionSynchronizationManager.bindResource(this, Boolean.TRUE);
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
              TransactionSynchronizationManager.unbindResourceIfPossible(Outbox.this);
              if (status == STATUS_COMMITTED) {
                relay.publishSoon();
              }
            }
          });
    }
  }
}
