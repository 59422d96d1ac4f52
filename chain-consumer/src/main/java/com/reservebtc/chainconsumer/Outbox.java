package com.reservebtc.chainconsumer;

import com.reservebtc.schemas.Topic;
import com.reservebtc.schemas.serde.AvroValueSerializer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
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

  /**
   * Adds a record to publish once the current transaction commits. The transaction's records are
   * written together, in the order they were added, just before it commits.
   */
  public <V extends SpecificRecord> void add(Topic<V> topic, String key, V value) {
    if (!TransactionSynchronizationManager.isActualTransactionActive()) {
      throw new IllegalStateException("Outbox.add must run inside the transaction of the change");
    }
    Pending pending = (Pending) TransactionSynchronizationManager.getResource(this);
    if (pending == null) {
      Pending created = new Pending();
      TransactionSynchronizationManager.bindResource(this, created);
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void beforeCommit(boolean readOnly) {
              write(created);
            }

            @Override
            public void afterCompletion(int status) {
              TransactionSynchronizationManager.unbindResourceIfPossible(Outbox.this);
              if (status == STATUS_COMMITTED) {
                relay.publishSoon();
              }
            }
          });
      pending = created;
    }
    pending.topics.add(topic.name());
    pending.keys.add(key);
    pending.payloads.add(HexFormat.of().formatHex(serializer.serialize(topic.name(), value)));
  }

  private void write(Pending pending) {
    if (pending.topics.isEmpty()) {
      return;
    }
    jdbc.sql(
            """
            insert into chain_outbox (topic, message_key, payload)
            select t, k, decode(p, 'hex')
            from unnest(:topics::text[], :keys::text[], :payloads::text[]) with ordinality
                as r(t, k, p, n)
            order by n
            """)
        .param("topics", pending.topics.toArray(String[]::new))
        .param("keys", pending.keys.toArray(String[]::new))
        .param("payloads", pending.payloads.toArray(String[]::new))
        .update();
  }

  /** The records of one transaction, in the order they were added. */
  private static final class Pending {
    final List<String> topics = new ArrayList<>();
    final List<String> keys = new ArrayList<>();
    final List<String> payloads = new ArrayList<>();
  }
}
