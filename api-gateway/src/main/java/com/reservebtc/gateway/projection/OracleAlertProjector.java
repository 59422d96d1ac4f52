package com.reservebtc.gateway.projection;

import com.reservebtc.schemas.avro.OracleAlert;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Appends the oracle's operator alerts to {@code oracle_alerts} for the operator console. An alert
 * delivered twice is stored once (inbox id = hash of the record).
 */
@Component
class OracleAlertProjector {

  private final Inbox inbox;
  private final JdbcClient jdbc;

  OracleAlertProjector(Inbox inbox, JdbcClient jdbc) {
    this.inbox = inbox;
    this.jdbc = jdbc;
  }

  Outcome project(String topic, OracleAlert alert) {
    if (alert.getMessage() == null || alert.getMessage().isBlank()) {
      throw new InvalidRecordException("oracle alert " + alert.getKind() + " without a message");
    }
    if (!inbox.claim(ContentIds.of("oracle-alert", alert), topic)) {
      return Outcome.DUPLICATE;
    }
    jdbc.sql(
            "INSERT INTO oracle_alerts (kind, subject, message, occurred_at)"
                + " VALUES (:kind, :subject, :message, :at)")
        .param("kind", alert.getKind().name())
        .param("subject", alert.getSubject(), java.sql.Types.VARCHAR)
        .param("message", alert.getMessage())
        .param(
            "at",
            OffsetDateTime.ofInstant(
                Instant.ofEpochMilli(alert.getOccurredAtMillis()), ZoneOffset.UTC))
        .update();
    return Outcome.APPLIED;
  }
}
