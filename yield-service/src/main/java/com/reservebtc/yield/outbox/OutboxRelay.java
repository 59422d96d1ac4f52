package com.reservebtc.yield.outbox;

import com.reservebtc.schemas.serde.AvroValueDeserializer;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes outbox rows in insertion order and marks them published only after the broker
 * acknowledged them (acks=all, idempotent producer). A transaction-scoped advisory lock makes
 * relays of all threads and instances take turns, which keeps per-key order. A crash between the
 * acknowledgement and the commit publishes that row again: delivery is at-least-once.
 */
@Component
public class OutboxRelay {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
  private static final long RELAY_LOCK = 0x72627463_796c6462L; // "rbtcyldb"

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final KafkaTemplate<String, Object> kafka;
  private final OutboxProperties properties;

  OutboxRelay(
      JdbcClient jdbc,
      TransactionTemplate transactions,
      KafkaTemplate<String, Object> kafka,
      OutboxProperties properties) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.kafka = kafka;
    this.properties = properties;
  }

  /**
   * Publishes pending rows and waits for each acknowledgement; called right after a listener's
   * commit. A failure is logged and left to the scheduled retry: the change itself is committed and
   * must not be re-applied.
   */
  public void publishAfterCommit() {
    try {
      publishPending();
    } catch (RuntimeException e) {
      log.warn("outbox publication failed, will retry every {}", properties.pollInterval(), e);
    }
  }

  @Scheduled(fixedDelayString = "${rbtc.outbox.poll-interval:5s}")
  void retryPending() {
    publishAfterCommit();
  }

  /** Publishes everything pending; returns how many rows were published. */
  public int publishPending() {
    int total = 0;
    int published;
    do {
      published = transactions.execute(status -> publishBatch());
      total += published;
    } while (published == properties.batchSize());
    return total;
  }

  private int publishBatch() {
    jdbc.sql("select pg_advisory_xact_lock(?)").param(RELAY_LOCK).query().singleRow();
    List<PendingRow> rows =
        jdbc.sql(
                """
                select id, topic, message_key, payload from outbox
                where published_at is null order by id limit ?
                """)
            .param(properties.batchSize())
            .query(PendingRow.class)
            .list();
    for (PendingRow row : rows) {
      send(row);
      jdbc.sql("update outbox set published_at = now() where id = ?").param(row.id()).update();
    }
    return rows.size();
  }

  private void send(PendingRow row) {
    try {
      kafka
          .send(row.topic(), row.messageKey(), AvroValueDeserializer.decode(row.payload()))
          .get(properties.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing outbox row " + row.id(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "broker did not acknowledge outbox row " + row.id() + " for " + row.topic(), e);
    }
  }

  record PendingRow(long id, String topic, String messageKey, byte[] payload) {}
}
