package com.reservebtc.gateway.projection;

import com.reservebtc.gateway.api.AlertJson;
import com.reservebtc.gateway.api.Timestamps;
import com.reservebtc.gateway.stream.StreamEvent;
import com.reservebtc.schemas.avro.AlertKind;
import com.reservebtc.schemas.avro.EmergencyAlert;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Applies the emergency-burn service's alerts: appends each to {@code emergency_alerts}, keeps the
 * user's current risk in {@code emergency_risk} and pushes the {@code alert} stream event.
 *
 * <p>Guarantees: an alert delivered or published twice is stored and pushed once (inbox id = hash
 * of the record); the current risk is that of the latest AT_RISK / CLEARED alert in topic order,
 * which is the order the emergency-burn service decided them in. Alerts carry no retraction: when a
 * reorg changes a user's risk, the service publishes the new state as a further alert. Not
 * guaranteed: an alert identical in every field to an earlier one (same cause, balances, message
 * and block time) is taken for a redelivery; it still sets the current risk, but is not stored or
 * pushed a second time.
 */
@Component
class AlertProjector {

  private final Inbox inbox;
  private final JdbcClient jdbc;
  private final CommittedChanges changes;

  AlertProjector(Inbox inbox, JdbcClient jdbc, CommittedChanges changes) {
    this.inbox = inbox;
    this.jdbc = jdbc;
    this.changes = changes;
  }

  Outcome project(String topic, EmergencyAlert alert) {
    String user = ChainEventMapper.address(alert.getUser(), "user");
    BigInteger vault = wei(alert.getFeeVaultBalanceWei(), "feeVaultBalanceWei");
    BigInteger required = wei(alert.getRequiredFeeWei(), "requiredFeeWei");
    if (alert.getMessage() == null || alert.getMessage().isBlank()) {
      throw new InvalidRecordException("alert of " + user + " without a message");
    }
    if (alert.getRbtcBalanceSats() != null && alert.getRbtcBalanceSats() < 0) {
      throw new InvalidRecordException(
          "alert of " + user + " with negative rbtcBalanceSats " + alert.getRbtcBalanceSats());
    }
    OffsetDateTime at =
        OffsetDateTime.ofInstant(Instant.ofEpochMilli(alert.getOccurredAtMillis()), ZoneOffset.UTC);
    boolean fresh = inbox.claim(ContentIds.of("alert", alert), topic);
    boolean riskAlert =
        alert.getKind() == AlertKind.AT_RISK || alert.getKind() == AlertKind.CLEARED;
    int riskChanged = riskAlert ? updateRisk(user, alert, vault, required, at) : 0;
    if (!fresh) {
      if (riskChanged > 0) {
        changes.afterCommit(List.of(), List.of(user));
      }
      return Outcome.DUPLICATE;
    }
    jdbc.sql(
            """
            INSERT INTO emergency_alerts (user_address, kind, rbtc_balance_sats,
                fee_vault_balance_wei, required_fee_wei, event_id, message, occurred_at,
                pending_spent_sats)
            VALUES (:user, :kind, :sats, :vault, :required, :event, :message, :at, :pending)
            """)
        .param("user", user)
        .param("kind", alert.getKind().name())
        .param("sats", alert.getRbtcBalanceSats())
        .param("vault", vault == null ? null : new BigDecimal(vault))
        .param("required", required == null ? null : new BigDecimal(required))
        .param("event", alert.getEventId())
        .param("message", alert.getMessage())
        .param("at", at)
        .param("pending", alert.getPendingSpentSats(), java.sql.Types.BIGINT)
        .update();
    changes.afterCommit(List.of(StreamEvent.alert(user, json(alert))));
    return Outcome.APPLIED;
  }

  /** Sets the user's risk to this alert's; returns 1 if that changed anything, else 0. */
  private int updateRisk(
      String user, EmergencyAlert alert, BigInteger vault, BigInteger required, OffsetDateTime at) {
    return jdbc.sql(
            """
            INSERT INTO emergency_risk AS r (user_address, at_risk, rbtc_balance_sats,
                fee_vault_balance_wei, required_fee_wei, event_id, message, occurred_at)
            VALUES (:user, :atRisk, :sats, :vault, :required, :event, :message, :at)
            ON CONFLICT (user_address) DO UPDATE SET
                at_risk = EXCLUDED.at_risk, rbtc_balance_sats = EXCLUDED.rbtc_balance_sats,
                fee_vault_balance_wei = EXCLUDED.fee_vault_balance_wei,
                required_fee_wei = EXCLUDED.required_fee_wei, event_id = EXCLUDED.event_id,
                message = EXCLUDED.message, occurred_at = EXCLUDED.occurred_at, updated_at = now()
            WHERE (r.at_risk, r.rbtc_balance_sats, r.fee_vault_balance_wei, r.required_fee_wei,
                    r.event_id, r.message, r.occurred_at)
                IS DISTINCT FROM (EXCLUDED.at_risk, EXCLUDED.rbtc_balance_sats,
                    EXCLUDED.fee_vault_balance_wei, EXCLUDED.required_fee_wei, EXCLUDED.event_id,
                    EXCLUDED.message, EXCLUDED.occurred_at)
            """)
        .param("user", user)
        .param("atRisk", alert.getKind() == AlertKind.AT_RISK)
        .param("sats", alert.getRbtcBalanceSats())
        .param("vault", vault == null ? null : new BigDecimal(vault))
        .param("required", required == null ? null : new BigDecimal(required))
        .param("event", alert.getEventId())
        .param("message", alert.getMessage())
        .param("at", at)
        .update();
  }

  static AlertJson json(EmergencyAlert alert) {
    return new AlertJson(
        alert.getKind().name(),
        alert.getMessage(),
        alert.getRbtcBalanceSats(),
        alert.getFeeVaultBalanceWei(),
        alert.getRequiredFeeWei(),
        alert.getEventId(),
        Timestamps.zulu(Instant.ofEpochMilli(alert.getOccurredAtMillis())),
        alert.getPendingSpentSats());
  }

  private static BigInteger wei(String raw, String field) {
    return raw == null ? null : ChainEventMapper.amount(raw, field);
  }
}
