package com.reservebtc.oracle.alerts;

import com.reservebtc.oracle.bitcoin.SourceAlert;
import com.reservebtc.oracle.kafka.EventPublisher;
import com.reservebtc.schemas.Keys;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.OracleAlert;
import com.reservebtc.schemas.avro.OracleAlertKind;
import com.reservebtc.txsender.SenderListener;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The oracle's operator alerts: {@code oracle_alerts} in the database, mirrored on {@link
 * Topics#ORACLE_ALERTS} (key {@code global}), one WARN (or INFO when things recover) log line each,
 * and the {@code rbtc.oracle.alerts} counter by kind.
 *
 * <p>Guarantees: an alert is committed before it is published; one whose publication failed is
 * published again by {@link #republishUnpublished}, so Kafka receives every alert at least once.
 * Callers raise an alert once per change of state, not per cycle (the transaction sender tells of a
 * stuck committee key once, and once when it moves again). Messages name Bitcoin sources by alias
 * only.
 */
@Component
public class OracleAlerts implements SourceAlert.Listener, SenderListener {

  private static final Logger log = LoggerFactory.getLogger(OracleAlerts.class);

  private final JdbcClient jdbc;
  private final EventPublisher publisher;
  private final Clock clock;
  private final MeterRegistry meters;

  OracleAlerts(JdbcClient jdbc, EventPublisher publisher, Clock clock, MeterRegistry meters) {
    this.jdbc = jdbc;
    this.publisher = publisher;
    this.clock = clock;
    this.meters = meters;
  }

  @Override
  public void alert(SourceAlert alert) {
    raise(OracleAlertKind.valueOf(alert.kind().name()), alert.source(), alert.message());
  }

  /** The committee key cannot progress: its transaction is stuck at the max-fee cap. */
  @Override
  public void stuck(SenderListener.Stuck stuck) {
    raise(
        OracleAlertKind.TRANSACTION_STUCK,
        stuck.hashes().isEmpty() ? stuck.address() : stuck.hashes().get(stuck.hashes().size() - 1),
        "the committee's transactions are stuck: "
            + stuck.reason()
            + " (max fee cap "
            + stuck.maxFeePerGasCap()
            + " wei/gas, rbtc.tx.max-fee-per-gas-wei); no sync lands until it moves");
  }

  @Override
  public void resumed(String address, String detail) {
    raise(
        OracleAlertKind.TRANSACTION_UNSTUCK,
        address,
        "the committee's transactions move again: " + detail);
  }

  /** Records, logs and publishes one alert; a publication failure is logged, not thrown. */
  public void raise(OracleAlertKind kind, String subject, String message) {
    Instant now = clock.instant();
    long id =
        jdbc.sql(
                "insert into oracle_alerts (kind, subject, message, created_at)"
                    + " values (:kind, :subject, :message, :at) returning id")
            .param("kind", kind.name())
            .param("subject", subject, Types.VARCHAR)
            .param("message", message)
            .param("at", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
            .query(Long.class)
            .single();
    meters.counter("rbtc.oracle.alerts", "kind", kind.name()).increment();
    if (recovers(kind)) {
      log.info("Alert {}: {}", kind, message);
    } else {
      log.warn("Alert {}: {}", kind, message);
    }
    try {
      publisher.publish(Topics.ORACLE_ALERTS, Keys.GLOBAL, toRecord(kind, subject, message, now));
      markPublished(id);
    } catch (EventPublisher.PublishException e) {
      log.warn("Alert {} is stored but not yet published: {}", id, e.getMessage());
    }
  }

  /** Publishes alerts stored more than {@code olderThan} ago but never acknowledged. */
  public int republishUnpublished(Duration olderThan) {
    List<Row> rows =
        jdbc.sql(
                "select id, kind, subject, message, created_at from oracle_alerts"
                    + " where published_at is null and created_at < :before order by id limit 1000")
            .param(
                "before",
                OffsetDateTime.ofInstant(clock.instant().minus(olderThan), ZoneOffset.UTC))
            .query(
                (rs, n) ->
                    new Row(
                        rs.getLong("id"),
                        OracleAlertKind.valueOf(rs.getString("kind")),
                        rs.getString("subject"),
                        rs.getString("message"),
                        rs.getObject("created_at", OffsetDateTime.class).toInstant()))
            .list();
    for (Row row : rows) {
      publisher.publish(
          Topics.ORACLE_ALERTS,
          Keys.GLOBAL,
          toRecord(row.kind(), row.subject(), row.message(), row.createdAt()));
      markPublished(row.id());
    }
    return rows.size();
  }

  private void markPublished(long id) {
    jdbc.sql("update oracle_alerts set published_at = :now where id = :id")
        .param("now", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
        .param("id", id)
        .update();
  }

  private static boolean recovers(OracleAlertKind kind) {
    return kind == OracleAlertKind.SOURCE_READMITTED
        || kind == OracleAlertKind.SOURCES_AGREE
        || kind == OracleAlertKind.TRANSACTION_UNSTUCK;
  }

  private static OracleAlert toRecord(
      OracleAlertKind kind, String subject, String message, Instant at) {
    return OracleAlert.newBuilder()
        .setKind(kind)
        .setSubject(subject)
        .setMessage(message)
        .setOccurredAtMillis(at.toEpochMilli())
        .build();
  }

  private record Row(
      long id, OracleAlertKind kind, String subject, String message, Instant createdAt) {}
}
