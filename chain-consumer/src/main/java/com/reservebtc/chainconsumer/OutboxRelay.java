package com.reservebtc.chainconsumer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes {@code chain_outbox} rows in id order and marks them published once the broker
 * acknowledged them (acks=all, idempotent producer). Runs on a thread of its own: right after a
 * commit that added rows ({@link #publishSoon}) and every {@code rbtc.outbox.poll-interval} for
 * rows whose publication failed. A transaction-scoped advisory lock (per schema) makes the relays
 * of all instances take turns, which keeps the order per key. A crash between the acknowledgement
 * and the commit publishes those rows again: at least once.
 */
public final class OutboxRelay implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final Producer<String, byte[]> producer;
  private final OutboxProperties properties;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "outbox-relay");
            t.setDaemon(true);
            return t;
          });
  private final AtomicBoolean scheduled = new AtomicBoolean();

  OutboxRelay(
      JdbcClient jdbc,
      TransactionTemplate transactions,
      Producer<String, byte[]> producer,
      OutboxProperties properties) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.producer = producer;
    this.properties = properties;
  }

  /** Starts the periodic retry. */
  void start() {
    long every = properties.pollInterval().toMillis();
    thread.scheduleWithFixedDelay(this::publishQuietly, every, every, TimeUnit.MILLISECONDS);
  }

  /** Publishes pending rows soon, on the relay's thread (coalesced). */
  public void publishSoon() {
    if (scheduled.compareAndSet(false, true)) {
      thread.execute(
          () -> {
            scheduled.set(false);
            publishQuietly();
          });
    }
  }

  private void publishQuietly() {
    try {
      publishPending();
    } catch (RuntimeException e) {
      log.warn(
          "outbox publication failed, retried every {}: {}",
          properties.pollInterval(),
          DeadLetters.rootCause(e).toString());
    }
  }

  /** Publishes everything pending now, on the caller's thread; returns how many rows. */
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
    jdbc.sql("select pg_advisory_xact_lock(hashtext(current_schema() || '.outbox'))")
        .query()
        .singleRow();
    List<Row> rows =
        jdbc.sql(
                "select id, topic, message_key, payload from chain_outbox where published_at is null"
                    + " order by id limit :limit")
            .param("limit", properties.batchSize())
            .query(Row.class)
            .list();
    if (rows.isEmpty()) {
      return 0;
    }
    List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
    for (Row row : rows) {
      acks.add(producer.send(new ProducerRecord<>(row.topic(), row.messageKey(), row.payload())));
    }
    long deadline = System.nanoTime() + properties.sendTimeout().toNanos();
    for (int i = 0; i < acks.size(); i++) {
      try {
        acks.get(i).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while publishing the outbox", e);
      } catch (Exception e) {
        throw new IllegalStateException(
            "the broker did not acknowledge outbox row " + rows.get(i).id(), e);
      }
    }
    jdbc.sql("update chain_outbox set published_at = now() where id = any(:ids::bigint[])")
        .param("ids", rows.stream().map(Row::id).toArray(Long[]::new))
        .update();
    return rows.size();
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }

  record Row(long id, String topic, String messageKey, byte[] payload) {}
}
