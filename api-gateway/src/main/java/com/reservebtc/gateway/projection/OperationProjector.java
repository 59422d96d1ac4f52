package com.reservebtc.gateway.projection;

import com.reservebtc.gateway.api.OracleOperationJson;
import com.reservebtc.gateway.api.Timestamps;
import com.reservebtc.gateway.stream.StreamEvent;
import com.reservebtc.schemas.avro.OperationStatus;
import com.reservebtc.schemas.avro.OracleOperation;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps the oracle's latest operation per user in {@code sync_status}, and when it last confirmed a
 * sync. An older step never overwrites a newer one.
 */
@Component
class OperationProjector {

  private final Inbox inbox;
  private final JdbcClient jdbc;
  private final CommittedChanges changes;

  OperationProjector(Inbox inbox, JdbcClient jdbc, CommittedChanges changes) {
    this.inbox = inbox;
    this.jdbc = jdbc;
    this.changes = changes;
  }

  Outcome project(String topic, OracleOperation op) {
    String user = ChainEventMapper.address(op.getEthAddress(), "ethAddress");
    if (op.getOperationId() == null || op.getOperationId().isBlank()) {
      throw new InvalidRecordException("oracle operation of " + user + " without an id");
    }
    String id =
        "operation:" + op.getOperationId() + ":" + op.getStatus() + ":" + op.getOccurredAtMillis();
    if (!inbox.claim(id, topic)) {
      return Outcome.DUPLICATE;
    }
    Instant at = Instant.ofEpochMilli(op.getOccurredAtMillis());
    boolean confirmed = op.getStatus() == OperationStatus.CONFIRMED;
    int changed =
        jdbc.sql(
                """
                INSERT INTO sync_status AS s (user_address, last_operation_id, last_status,
                    last_operation_at, last_tx_hash, last_detail, last_confirmed_at,
                    last_confirmed_sats)
                VALUES (:user, :op, :status, :at, :tx, :detail,
                    CASE WHEN :confirmed THEN CAST(:at AS timestamptz) END,
                    CASE WHEN :confirmed THEN CAST(:target AS bigint) END)
                ON CONFLICT (user_address) DO UPDATE SET
                    last_operation_id = EXCLUDED.last_operation_id,
                    last_status = EXCLUDED.last_status,
                    last_operation_at = EXCLUDED.last_operation_at,
                    last_tx_hash = EXCLUDED.last_tx_hash,
                    last_detail = EXCLUDED.last_detail,
                    last_confirmed_at = COALESCE(EXCLUDED.last_confirmed_at, s.last_confirmed_at),
                    last_confirmed_sats = CASE WHEN EXCLUDED.last_confirmed_at IS NOT NULL
                        THEN EXCLUDED.last_confirmed_sats ELSE s.last_confirmed_sats END,
                    updated_at = now()
                WHERE s.last_operation_at <= EXCLUDED.last_operation_at
                """)
            .param("user", user)
            .param("op", op.getOperationId())
            .param("status", op.getStatus().name())
            .param("at", OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
            .param("tx", op.getTxHash())
            .param("detail", op.getDetail())
            .param("confirmed", confirmed)
            .param("target", op.getTargetSats())
            .update();
    if (changed == 0) {
      return Outcome.NO_EFFECT;
    }
    changes.afterCommit(
        List.of(
            StreamEvent.sync(
                user,
                new OracleOperationJson(
                    op.getOperationId(),
                    op.getStatus().name(),
                    Timestamps.zulu(at),
                    op.getTxHash(),
                    op.getDetail()))));
    return Outcome.APPLIED;
  }
}
