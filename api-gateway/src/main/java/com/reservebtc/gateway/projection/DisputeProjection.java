package com.reservebtc.gateway.projection;

import com.reservebtc.chainconsumer.Batch;
import com.reservebtc.chainconsumer.ChainChange;
import com.reservebtc.gateway.api.DisputeJson;
import com.reservebtc.gateway.api.Timestamps;
import com.reservebtc.gateway.stream.StreamEvent;
import com.reservebtc.schemas.avro.BalanceDisputed;
import com.reservebtc.schemas.avro.ChainLogRef;
import com.reservebtc.schemas.avro.YieldPoolEvent;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Applies YieldScalesPool {@code BalanceDisputed} logs to {@code balance_disputes} (APPLY inserts,
 * REPLACE moves the row to its new block, RETRACT deletes it; the last change of a log in a batch
 * decides) and returns the stream events. Other pool events are owned by the yield service and
 * change nothing here. Finality is labelled from the chain's heights when read.
 *
 * <p>Disputes are raised on chain by the user's wallet ({@code disputeBalance}); the gateway only
 * indexes them. The pool's {@code resolveDispute} emits no log, so a resolution is not visible
 * here.
 */
@Component
class DisputeProjection {

  private final JdbcClient jdbc;

  DisputeProjection(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** A dispute log. */
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
      BigInteger oracle) {

    String eventId() {
      return com.reservebtc.schemas.EventIds.of(chainId, txHash, logIndex);
    }

    DisputeJson json(String status, String finality) {
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
          finality);
    }

    StreamEvent event(String status, String finality) {
      return StreamEvent.dispute(user, eventId(), finality, blockNumber, json(status, finality));
    }
  }

  List<StreamEvent> apply(Batch batch) {
    Map<String, ChainChange> last = new LinkedHashMap<>();
    List<ChainChange> changes = new ArrayList<>();
    Map<ChainChange, DisputeRow> rows = new LinkedHashMap<>();
    for (ChainChange change : batch.chainChanges()) {
      if (change.record().value() instanceof YieldPoolEvent event
          && event.getPayload() instanceof BalanceDisputed disputed) {
        rows.put(change, row(event.getLog(), disputed));
        changes.add(change);
        last.remove(change.eventId());
        last.put(change.eventId(), change);
      }
    }
    if (changes.isEmpty()) {
      return List.of();
    }
    List<DisputeRow> upserts = new ArrayList<>();
    List<DisputeRow> deletes = new ArrayList<>();
    for (ChainChange change : last.values()) {
      (change.kind() == ChainChange.Kind.RETRACT ? deletes : upserts).add(rows.get(change));
    }
    delete(deletes);
    upsert(upserts);
    List<StreamEvent> events = new ArrayList<>();
    for (ChainChange change : changes) {
      DisputeRow row = rows.get(change);
      if (change.kind() == ChainChange.Kind.RETRACT) {
        events.add(row.event("retracted", "RETRACTED"));
      } else {
        events.add(
            row.event(
                "open", batch.heldHeightsOf(row.chainId()).finalityOf(row.blockNumber()).name()));
      }
    }
    return events;
  }

  /** Disputes of {@code chainId} in blocks {@code above < block <= upTo}. */
  List<DisputeRow> inBlocks(long chainId, long above, long upTo) {
    return jdbc.sql(
            "SELECT * FROM balance_disputes WHERE chain_id = :chain"
                + " AND block_number > :above AND block_number <= :upTo")
        .param("chain", chainId)
        .param("above", above)
        .param("upTo", upTo)
        .query(
            (rs, n) ->
                new DisputeRow(
                    rs.getLong("chain_id"),
                    rs.getString("tx_hash"),
                    rs.getInt("log_index"),
                    rs.getLong("block_number"),
                    rs.getString("block_hash"),
                    rs.getObject("block_timestamp", OffsetDateTime.class).toInstant(),
                    rs.getString("contract"),
                    rs.getString("user_address"),
                    rs.getBigDecimal("reported_balance").toBigIntegerExact(),
                    rs.getBigDecimal("oracle_balance").toBigIntegerExact()))
        .list();
  }

  private void upsert(Collection<DisputeRow> rows) {
    if (rows.isEmpty()) {
      return;
    }
    jdbc.sql(
            """
            INSERT INTO balance_disputes (chain_id, tx_hash, log_index, block_number, block_hash,
                block_timestamp, contract, user_address, reported_balance, oracle_balance)
            SELECT chain, tx, log, block, hash, to_timestamp(ts), contract, usr,
                reported::numeric, oracle::numeric
            FROM unnest(:chain::bigint[], :tx::text[], :log::int[], :block::bigint[],
                :hash::text[], :ts::bigint[], :contract::text[], :usr::text[],
                :reported::text[], :oracle::text[])
                AS v(chain, tx, log, block, hash, ts, contract, usr, reported, oracle)
            ON CONFLICT (chain_id, tx_hash, log_index) DO UPDATE SET
                block_number = EXCLUDED.block_number, block_hash = EXCLUDED.block_hash,
                block_timestamp = EXCLUDED.block_timestamp, projected_at = now()
            """)
        .param("chain", column(rows, DisputeRow::chainId, Long[]::new))
        .param("tx", column(rows, DisputeRow::txHash, String[]::new))
        .param("log", column(rows, DisputeRow::logIndex, Integer[]::new))
        .param("block", column(rows, DisputeRow::blockNumber, Long[]::new))
        .param("hash", column(rows, DisputeRow::blockHash, String[]::new))
        .param("ts", column(rows, r -> r.blockTimestamp().getEpochSecond(), Long[]::new))
        .param("contract", column(rows, DisputeRow::contract, String[]::new))
        .param("usr", column(rows, DisputeRow::user, String[]::new))
        .param("reported", column(rows, r -> r.reported().toString(), String[]::new))
        .param("oracle", column(rows, r -> r.oracle().toString(), String[]::new))
        .update();
  }

  private void delete(Collection<DisputeRow> rows) {
    if (rows.isEmpty()) {
      return;
    }
    jdbc.sql(
            """
            DELETE FROM balance_disputes d USING unnest(:chain::bigint[], :tx::text[], :log::int[])
                AS k(chain, tx, log)
            WHERE d.chain_id = k.chain AND d.tx_hash = k.tx AND d.log_index = k.log
            """)
        .param("chain", column(rows, DisputeRow::chainId, Long[]::new))
        .param("tx", column(rows, DisputeRow::txHash, String[]::new))
        .param("log", column(rows, DisputeRow::logIndex, Integer[]::new))
        .update();
  }

  private static DisputeRow row(ChainLogRef ref, BalanceDisputed disputed) {
    if (ref == null) {
      throw new InvalidRecordException("BalanceDisputed without log reference");
    }
    if (ref.getChainId() <= 0 || ref.getBlockNumber() < 0 || ref.getLogIndex() < 0) {
      throw new InvalidRecordException("invalid log position: " + ChainEventMapper.describe(ref));
    }
    return new DisputeRow(
        ref.getChainId(),
        ChainEventMapper.hash(ref.getTxHash(), "txHash"),
        ref.getLogIndex(),
        ref.getBlockNumber(),
        ChainEventMapper.hash(ref.getBlockHash(), "blockHash"),
        Instant.ofEpochSecond(ref.getBlockTimestamp()),
        ChainEventMapper.address(ref.getContract(), "contract"),
        ChainEventMapper.address(disputed.getUser(), "user"),
        ChainEventMapper.amount(disputed.getReportedBalance(), "reportedBalance"),
        ChainEventMapper.amount(disputed.getOracleBalance(), "oracleBalance"));
  }

  private static <T> T[] column(
      Collection<DisputeRow> rows,
      Function<DisputeRow, ?> value,
      java.util.function.IntFunction<T[]> array) {
    return rows.stream().map(value).toArray(array);
  }
}
