package com.reservebtc.gateway.projection;

import com.reservebtc.gateway.api.DisputeJson;
import com.reservebtc.gateway.api.Timestamps;
import com.reservebtc.gateway.api.TxFinality;
import com.reservebtc.gateway.stream.StreamEvent;
import com.reservebtc.schemas.EventIds;
import com.reservebtc.schemas.avro.BalanceDisputed;
import com.reservebtc.schemas.avro.ChainLogRef;
import com.reservebtc.schemas.avro.YieldPoolEvent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Applies YieldScalesPool {@code BalanceDisputed} logs to {@code balance_disputes} and undoes them
 * on retraction, with the same rules as the other chain logs: inbox ids {@code eventId@blockHash}
 * (and {@code :retracted}), a log re-published from another block replaces the stored one, and the
 * finality is the record's or the one the block markers already established, whichever is more
 * settled. Other pool events are owned by the yield service and change nothing here.
 *
 * <p>Disputes are raised on chain by the user's wallet ({@code disputeBalance}); the gateway only
 * indexes them. The pool's {@code resolveDispute} emits no log, so a resolution is not visible
 * here.
 */
@Component
class DisputeProjector {

  private static final Logger log = LoggerFactory.getLogger(DisputeProjector.class);

  private final Inbox inbox;
  private final JdbcClient jdbc;
  private final TransactionStore transactions;
  private final CommittedChanges changes;

  DisputeProjector(
      Inbox inbox, JdbcClient jdbc, TransactionStore transactions, CommittedChanges changes) {
    this.inbox = inbox;
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.changes = changes;
  }

  /** A stored dispute log. */
  record DisputeRow(
      long chainId,
      String txHash,
      int logIndex,
      long blockNumber,
      String blockHash,
      Instant blockTimestamp,
      String contract,
      String user,
      BigInteger reported,
      BigInteger oracle,
      TxFinality finality) {

    String eventId() {
      return EventIds.of(chainId, txHash, logIndex);
    }

    String applyId() {
      return eventId() + "@" + blockHash;
    }

    DisputeJson json(String status) {
      return new DisputeJson(
          txHash,
          blockNumber,
          Timestamps.local(blockTimestamp),
          logIndex,
          chainId,
          user,
          reported.toString(),
          oracle.toString(),
          status,
          finality.name());
    }
  }

  Outcome project(String topic, YieldPoolEvent event) {
    if (!(event.getPayload() instanceof BalanceDisputed disputed)) {
      return Outcome.NO_EFFECT;
    }
    ChainLogRef ref = event.getLog();
    if (ref == null) {
      throw new InvalidRecordException("BalanceDisputed without log reference");
    }
    if (ref.getChainId() <= 0 || ref.getBlockNumber() < 0 || ref.getLogIndex() < 0) {
      throw new InvalidRecordException("invalid log position: " + ChainEventMapper.describe(ref));
    }
    DisputeRow row =
        new DisputeRow(
            ref.getChainId(),
            ChainEventMapper.hash(ref.getTxHash(), "txHash"),
            ref.getLogIndex(),
            ref.getBlockNumber(),
            ChainEventMapper.hash(ref.getBlockHash(), "blockHash"),
            Instant.ofEpochSecond(ref.getBlockTimestamp()),
            ChainEventMapper.address(ref.getContract(), "contract"),
            ChainEventMapper.address(disputed.getUser(), "user"),
            ChainEventMapper.amount(disputed.getReportedBalance(), "reportedBalance"),
            ChainEventMapper.amount(disputed.getOracleBalance(), "oracleBalance"),
            TxFinality.valueOf(ref.getFinality().name()));
    return ref.getRetracted() ? retract(topic, row) : apply(topic, row);
  }

  private Outcome apply(String topic, DisputeRow incoming) {
    if (!inbox.claim(incoming.applyId(), topic)) {
      return Outcome.DUPLICATE;
    }
    List<StreamEvent> events = new ArrayList<>();
    Optional<DisputeRow> stale = find(incoming);
    if (stale.isPresent()) {
      log.warn(
          "dispute {} re-published from block {} while stored from block {}; replacing it",
          incoming.eventId(),
          incoming.blockHash(),
          stale.get().blockHash());
      delete(stale.get()).ifPresent(removed -> events.add(retractedEvent(removed)));
    }
    TxFinality finality =
        incoming
            .finality()
            .atLeast(transactions.finalityByMarkers(incoming.chainId(), incoming.blockNumber()));
    DisputeRow row =
        new DisputeRow(
            incoming.chainId(),
            incoming.txHash(),
            incoming.logIndex(),
            incoming.blockNumber(),
            incoming.blockHash(),
            incoming.blockTimestamp(),
            incoming.contract(),
            incoming.user(),
            incoming.reported(),
            incoming.oracle(),
            finality);
    jdbc.sql(
            """
            INSERT INTO balance_disputes (chain_id, tx_hash, log_index, block_number, block_hash,
                block_timestamp, contract, user_address, reported_balance, oracle_balance, finality)
            VALUES (:chain, :tx, :log, :block, :blockHash, :ts, :contract, :user, :reported,
                :oracle, :finality)
            """)
        .param("chain", row.chainId())
        .param("tx", row.txHash())
        .param("log", row.logIndex())
        .param("block", row.blockNumber())
        .param("blockHash", row.blockHash())
        .param("ts", OffsetDateTime.ofInstant(row.blockTimestamp(), ZoneOffset.UTC))
        .param("contract", row.contract())
        .param("user", row.user())
        .param("reported", new BigDecimal(row.reported()))
        .param("oracle", new BigDecimal(row.oracle()))
        .param("finality", row.finality().name())
        .update();
    events.add(
        StreamEvent.dispute(
            row.user(), row.eventId(), row.finality().name(), row.blockNumber(), row.json("open")));
    changes.afterCommit(events);
    return Outcome.APPLIED;
  }

  private Outcome retract(String topic, DisputeRow key) {
    if (!inbox.claim(key.applyId() + ":retracted", topic)) {
      return Outcome.DUPLICATE;
    }
    Optional<DisputeRow> removed = delete(key);
    if (removed.isEmpty()) {
      return Outcome.NO_EFFECT;
    }
    changes.afterCommit(List.of(retractedEvent(removed.get())));
    log.info(
        "retracted dispute {} of {} from orphaned block {} {}",
        key.eventId(),
        key.user(),
        key.blockNumber(),
        key.blockHash());
    return Outcome.RETRACTED;
  }

  private static StreamEvent retractedEvent(DisputeRow row) {
    return StreamEvent.dispute(
        row.user(), row.eventId(), "RETRACTED", row.blockNumber(), row.json("retracted"));
  }

  private Optional<DisputeRow> find(DisputeRow key) {
    return jdbc.sql(
            "SELECT * FROM balance_disputes WHERE chain_id = :chain AND tx_hash = :tx"
                + " AND log_index = :log")
        .param("chain", key.chainId())
        .param("tx", key.txHash())
        .param("log", key.logIndex())
        .query(DisputeProjector::map)
        .optional();
  }

  /** Deletes the row of this log if it is stored from the key's block. */
  private Optional<DisputeRow> delete(DisputeRow key) {
    return jdbc.sql(
            "DELETE FROM balance_disputes WHERE chain_id = :chain AND tx_hash = :tx"
                + " AND log_index = :log AND block_hash = :blockHash RETURNING *")
        .param("chain", key.chainId())
        .param("tx", key.txHash())
        .param("log", key.logIndex())
        .param("blockHash", key.blockHash())
        .query(DisputeProjector::map)
        .optional();
  }

  private static DisputeRow map(ResultSet rs, int rowNum) throws SQLException {
    return new DisputeRow(
        rs.getLong("chain_id"),
        rs.getString("tx_hash"),
        rs.getInt("log_index"),
        rs.getLong("block_number"),
        rs.getString("block_hash"),
        rs.getObject("block_timestamp", OffsetDateTime.class).toInstant(),
        rs.getString("contract"),
        rs.getString("user_address"),
        rs.getBigDecimal("reported_balance").toBigIntegerExact(),
        rs.getBigDecimal("oracle_balance").toBigIntegerExact(),
        TxFinality.valueOf(rs.getString("finality")));
  }
}
