package com.reservebtc.oracle.operations;

import com.reservebtc.oracle.kafka.EventPublisher;
import com.reservebtc.schemas.Keys;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.OracleOperation;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The oracle operations log: {@code oracle_operations_log} in the database, mirrored on {@link
 * Topics#ORACLE_OPERATIONS}.
 *
 * <p>Guarantees: a step is committed to the database before {@link #record} returns (it is the
 * source of truth, written before a transaction is broadcast); it is then published and marked
 * published. A step whose publication failed stays unpublished and is published again by {@link
 * #republishUnpublished}, so Kafka receives every step at least once, in order per user only as far
 * as retries allow. Consumers key on {@code operationId} + status.
 */
@Component
public class OperationsLog {

  private static final Logger log = LoggerFactory.getLogger(OperationsLog.class);

  private final JdbcClient jdbc;
  private final EventPublisher publisher;
  private final Clock clock;
  private final MeterRegistry meters;

  OperationsLog(JdbcClient jdbc, EventPublisher publisher, Clock clock, MeterRegistry meters) {
    this.jdbc = jdbc;
    this.publisher = publisher;
    this.clock = clock;
    this.meters = meters;
  }

  /** Commits the step, then publishes it. A publication failure is logged, not thrown. */
  public void record(Operation operation) {
    long id =
        jdbc.sql(
                """
                insert into oracle_operations_log
                  (operation_id, eth_address, status, previous_sats, target_sats, delta_sats,
                   fee_wei, tx_hash, nonce, detail, created_at)
                values (:operationId, :eth, :status, :previous, :target, :delta,
                        :fee, :txHash, :nonce, :detail, :createdAt)
                returning id
                """)
            .param("operationId", operation.operationId())
            .param("eth", operation.ethAddress())
            .param("status", operation.status().name())
            .param("previous", operation.previousSats(), Types.BIGINT)
            .param("target", operation.targetSats(), Types.BIGINT)
            .param("delta", operation.deltaSats(), Types.BIGINT)
            .param(
                "fee",
                operation.feeWei() == null ? null : new BigDecimal(operation.feeWei()),
                Types.NUMERIC)
            .param("txHash", operation.txHash(), Types.VARCHAR)
            .param("nonce", operation.nonce(), Types.BIGINT)
            .param("detail", operation.detail(), Types.VARCHAR)
            .param("createdAt", OffsetDateTime.ofInstant(operation.occurredAt(), ZoneOffset.UTC))
            .query(Long.class)
            .single();
    meters.counter("rbtc.oracle.operations", "status", operation.status().name()).increment();
    try {
      publisher.publish(
          Topics.ORACLE_OPERATIONS, Keys.user(operation.ethAddress()), toAvro(operation));
      markPublished(id);
    } catch (EventPublisher.PublishException e) {
      log.warn(
          "Operation {} {} of {} is logged but not yet published; it will be re-published: {}",
          operation.operationId(),
          operation.status(),
          operation.ethAddress(),
          e.getMessage());
    }
  }

  /**
   * Submitted transactions with no outcome recorded, oldest first: per operation its latest
   * SUBMITTED step and every transaction hash submitted for it (a replacement at the same nonce is
   * a further SUBMITTED step with its own hash; any of them may be the one mined).
   */
  public List<Unresolved> unresolvedSubmissions() {
    List<Operation> submitted =
        jdbc.sql(
                """
                select * from oracle_operations_log s
                where s.status = 'SUBMITTED'
                  and not exists (select 1 from oracle_operations_log o
                                  where o.operation_id = s.operation_id
                                    and o.status in ('CONFIRMED', 'REVERTED', 'FAILED',
                                                     'EMERGENCY_BURN'))
                order by s.id
                """)
            .query(OperationsLog::map)
            .list();
    Map<UUID, List<Operation>> byOperation = new java.util.LinkedHashMap<>();
    for (Operation step : submitted) {
      byOperation.computeIfAbsent(step.operationId(), k -> new java.util.ArrayList<>()).add(step);
    }
    return byOperation.values().stream()
        .map(
            steps ->
                new Unresolved(
                    steps.get(steps.size() - 1), steps.stream().map(Operation::txHash).toList()))
        .toList();
  }

  /**
   * @param latest the operation's latest SUBMITTED step
   * @param hashes every transaction hash submitted for it, oldest first
   */
  public record Unresolved(Operation latest, List<String> hashes) {}

  /** The user's latest steps, newest first. */
  public List<Operation> latest(String ethAddress, int limit) {
    return jdbc.sql(
            "select * from oracle_operations_log where eth_address = :eth order by id desc limit :limit")
        .param("eth", ethAddress)
        .param("limit", limit)
        .query(OperationsLog::map)
        .list();
  }

  /** Publishes steps that were committed more than {@code olderThan} ago but never acknowledged. */
  public int republishUnpublished(Duration olderThan) {
    List<Map.Entry<Long, Operation>> pending =
        jdbc.sql(
                """
                select * from oracle_operations_log
                where published_at is null and created_at < :before
                order by id limit 1000
                """)
            .param(
                "before",
                OffsetDateTime.ofInstant(clock.instant().minus(olderThan), ZoneOffset.UTC))
            .query((rs, n) -> Map.entry(rs.getLong("id"), map(rs, n)))
            .list();
    for (Map.Entry<Long, Operation> entry : pending) {
      Operation operation = entry.getValue();
      publisher.publish(
          Topics.ORACLE_OPERATIONS, Keys.user(operation.ethAddress()), toAvro(operation));
      markPublished(entry.getKey());
    }
    if (!pending.isEmpty()) {
      log.info("Re-published {} oracle operation steps", pending.size());
    }
    return pending.size();
  }

  private void markPublished(long id) {
    jdbc.sql("update oracle_operations_log set published_at = :now where id = :id")
        .param("now", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
        .param("id", id)
        .update();
  }

  private static Operation map(ResultSet rs, int row) throws SQLException {
    BigDecimal fee = rs.getBigDecimal("fee_wei");
    return new Operation(
        rs.getObject("operation_id", UUID.class),
        rs.getString("eth_address"),
        OperationStatus.valueOf(rs.getString("status")),
        rs.getObject("previous_sats", Long.class),
        rs.getObject("target_sats", Long.class),
        rs.getObject("delta_sats", Long.class),
        fee == null ? null : fee.toBigIntegerExact(),
        rs.getString("tx_hash"),
        rs.getObject("nonce", Long.class),
        rs.getString("detail"),
        rs.getObject("created_at", OffsetDateTime.class).toInstant());
  }

  static OracleOperation toAvro(Operation operation) {
    return OracleOperation.newBuilder()
        .setOperationId(operation.operationId().toString())
        .setEthAddress(operation.ethAddress())
        .setStatus(com.reservebtc.schemas.avro.OperationStatus.valueOf(operation.status().name()))
        .setPreviousSats(operation.previousSats())
        .setTargetSats(operation.targetSats())
        .setDeltaSats(operation.deltaSats())
        .setFeeWei(operation.feeWei() == null ? null : operation.feeWei().toString())
        .setTxHash(operation.txHash())
        .setNonce(operation.nonce())
        .setDetail(operation.detail())
        .setOccurredAtMillis(operation.occurredAt().toEpochMilli())
        .build();
  }
}
