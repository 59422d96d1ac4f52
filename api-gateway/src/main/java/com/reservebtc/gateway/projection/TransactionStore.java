package com.reservebtc.gateway.projection;

import com.reservebtc.chainconsumer.Heights;
import com.reservebtc.gateway.api.TransactionRow;
import com.reservebtc.gateway.api.TxFinality;
import com.reservebtc.gateway.api.TxType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * JDBC access of the projection to {@code transactions}, set-based: one statement per kind of
 * change for a whole batch. Rows are keyed by their log (chain, tx, log index); finality and the
 * bound Bitcoin address are not stored but labelled when rows are read (from the chain's heights,
 * resp. {@code bitcoin_addresses}).
 */
@Component
class TransactionStore {

  private final JdbcClient jdbc;

  TransactionStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** A log's key. */
  record LogKey(long chainId, String txHash, int logIndex) {
    static LogKey of(TransactionRow row) {
      return new LogKey(row.chainId(), row.txHash(), row.logIndex());
    }
  }

  /**
   * Inserts the rows with their own emergency-burn flag (an EmergencyBurn log's row is one; a
   * Synced row's flag is set by {@link #flagEmergencyBurns}), or moves an existing row of the same
   * log to the row's block.
   */
  void upsert(Collection<TransactionRow> rows) {
    if (rows.isEmpty()) {
      return;
    }
    Columns c = new Columns(rows);
    jdbc.sql(
            """
            INSERT INTO transactions (chain_id, tx_hash, log_index, block_number, block_hash,
                block_timestamp, contract, event_name, token, user_address, counterparty, tx_type,
                amount, delta, fee_wei, new_balance_sats, is_emergency_burn, listed, reason,
                source, spent_by)
            SELECT chain, tx, log, block, hash, to_timestamp(ts), contract, event, token, usr,
                counterparty, type, amount::numeric, delta::numeric, fee::numeric, new_balance,
                emergency, listed, reason, source, spent_by
            FROM unnest(:chain::bigint[], :tx::text[], :log::int[], :block::bigint[],
                :hash::text[], :ts::bigint[], :contract::text[], :event::text[], :token::text[],
                :usr::text[], :counterparty::text[], :type::text[], :amount::text[],
                :delta::text[], :fee::text[], :newBalance::bigint[], :emergency::boolean[],
                :listed::boolean[], :reason::text[], :source::text[], :spentBy::text[])
                AS v(chain, tx, log, block, hash, ts, contract, event, token, usr, counterparty,
                    type, amount, delta, fee, new_balance, emergency, listed, reason, source,
                    spent_by)
            ON CONFLICT (chain_id, tx_hash, log_index) DO UPDATE SET
                block_number = EXCLUDED.block_number, block_hash = EXCLUDED.block_hash,
                block_timestamp = EXCLUDED.block_timestamp, projected_at = now()
            """)
        .param("chain", c.longs(TransactionRow::chainId))
        .param("tx", c.strings(TransactionRow::txHash))
        .param("log", c.ints(TransactionRow::logIndex))
        .param("block", c.longs(TransactionRow::blockNumber))
        .param("hash", c.strings(TransactionRow::blockHash))
        .param("ts", c.longs(r -> r.blockTimestamp().getEpochSecond()))
        .param("contract", c.strings(TransactionRow::contract))
        .param("event", c.strings(TransactionRow::eventName))
        .param("token", c.strings(TransactionRow::token))
        .param("usr", c.strings(TransactionRow::userAddress))
        .param("counterparty", c.strings(TransactionRow::counterparty))
        .param("type", c.strings(r -> r.txType().name()))
        .param("amount", c.strings(r -> r.amount().toString()))
        .param("delta", c.strings(r -> r.delta().toString()))
        .param("fee", c.strings(r -> r.feeWei().toString()))
        .param("newBalance", c.longs(TransactionRow::newBalanceSats))
        .param(
            "emergency", rows.stream().map(TransactionRow::emergencyBurn).toArray(Boolean[]::new))
        .param("listed", rows.stream().map(TransactionRow::listed).toArray(Boolean[]::new))
        .param("reason", c.strings(TransactionRow::reason))
        .param("source", c.strings(TransactionRow::source))
        .param("spentBy", c.strings(TransactionRow::spentBy))
        .update();
  }

  /** Deletes the rows of these logs. */
  void delete(Collection<LogKey> keys) {
    if (keys.isEmpty()) {
      return;
    }
    jdbc.sql(
            """
            DELETE FROM transactions t USING unnest(:chain::bigint[], :tx::text[], :log::int[])
                AS k(chain, tx, log)
            WHERE t.chain_id = k.chain AND t.tx_hash = k.tx AND t.log_index = k.log
            """)
        .param("chain", keys.stream().map(LogKey::chainId).toArray(Long[]::new))
        .param("tx", keys.stream().map(LogKey::txHash).toArray(String[]::new))
        .param("log", keys.stream().map(LogKey::logIndex).toArray(Integer[]::new))
        .update();
  }

  /**
   * Sets {@code is_emergency_burn} of the Synced rows of these transactions: true exactly when the
   * OracleAggregator's EmergencyBurn of the same user is stored in the same transaction. Returns
   * the keys of the rows whose flag changed.
   */
  List<LogKey> flagEmergencyBurns(Collection<LogKey> transactions) {
    if (transactions.isEmpty()) {
      return List.of();
    }
    return jdbc.sql(
            """
            UPDATE transactions t SET is_emergency_burn = x.flag
            FROM (
                SELECT s.chain_id, s.tx_hash, s.log_index,
                       EXISTS (SELECT 1 FROM transactions e
                               WHERE e.chain_id = s.chain_id AND e.tx_hash = s.tx_hash
                                 AND e.user_address = s.user_address
                                 AND e.tx_type = 'EMERGENCY_BURN'
                                 AND e.source = 'ORACLE_AGGREGATOR') AS flag
                FROM transactions s
                JOIN (SELECT DISTINCT * FROM unnest(:chain::bigint[], :tx::text[])) AS k(chain, tx)
                  ON s.chain_id = k.chain AND s.tx_hash = k.tx
                WHERE s.event_name = 'Synced'
            ) x
            WHERE t.chain_id = x.chain_id AND t.tx_hash = x.tx_hash AND t.log_index = x.log_index
              AND t.is_emergency_burn <> x.flag
            RETURNING t.chain_id, t.tx_hash, t.log_index
            """)
        .param("chain", transactions.stream().map(LogKey::chainId).toArray(Long[]::new))
        .param("tx", transactions.stream().map(LogKey::txHash).toArray(String[]::new))
        .query((rs, n) -> new LogKey(rs.getLong(1), rs.getString(2), rs.getInt(3)))
        .list();
  }

  /** The stored rows of these logs, labelled with the chain's heights {@code heights}. */
  List<TransactionRow> read(Collection<LogKey> keys, Function<Long, Heights> heights) {
    if (keys.isEmpty()) {
      return List.of();
    }
    return labelled(
        jdbc.sql(
                """
                SELECT t.* FROM transactions t
                JOIN unnest(:chain::bigint[], :tx::text[], :log::int[]) AS k(chain, tx, log)
                  ON t.chain_id = k.chain AND t.tx_hash = k.tx AND t.log_index = k.log
                """)
            .param("chain", keys.stream().map(LogKey::chainId).toArray(Long[]::new))
            .param("tx", keys.stream().map(LogKey::txHash).toArray(String[]::new))
            .param("log", keys.stream().map(LogKey::logIndex).toArray(Integer[]::new))
            .query(TransactionStore::map)
            .list(),
        heights);
  }

  /** The rows of {@code chainId} in blocks {@code above < block <= upTo}. */
  List<TransactionRow> inBlocks(
      long chainId, long above, long upTo, Function<Long, Heights> heights) {
    return labelled(
        jdbc.sql(
                "SELECT * FROM transactions WHERE chain_id = :chain"
                    + " AND block_number > :above AND block_number <= :upTo")
            .param("chain", chainId)
            .param("above", above)
            .param("upTo", upTo)
            .query(TransactionStore::map)
            .list(),
        heights);
  }

  private List<TransactionRow> labelled(List<Stored> rows, Function<Long, Heights> heights) {
    List<String> users = new ArrayList<>();
    for (Stored stored : rows) {
      if (stored.row().txType() == TxType.MINT || stored.row().txType() == TxType.BURN) {
        users.add(stored.row().userAddress());
      }
    }
    Map<String, String> bitcoin = monitoredBitcoinAddresses(users);
    List<TransactionRow> labelled = new ArrayList<>(rows.size());
    for (Stored stored : rows) {
      TransactionRow row = stored.row();
      TxFinality finality =
          TxFinality.valueOf(heights.apply(row.chainId()).finalityOf(row.blockNumber()).name());
      row = row.withFinality(finality);
      if (row.txType() == TxType.MINT || row.txType() == TxType.BURN) {
        row = row.withBitcoinAddress(bitcoin.get(row.userAddress()));
      }
      labelled.add(row);
    }
    return labelled;
  }

  /** Each user's bound Bitcoin address monitored most recently (as the read API shows it). */
  private Map<String, String> monitoredBitcoinAddresses(List<String> users) {
    Map<String, String> addresses = new HashMap<>();
    if (users.isEmpty()) {
      return addresses;
    }
    jdbc.sql(
            """
            SELECT DISTINCT ON (eth_address) eth_address, bitcoin_address FROM bitcoin_addresses
            WHERE eth_address = ANY(:users::text[]) AND is_monitoring
            ORDER BY eth_address, monitoring_started_at DESC NULLS LAST, id DESC
            """)
        .param("users", users.stream().distinct().toArray(String[]::new))
        .query(
            rs -> {
              addresses.put(rs.getString(1), rs.getString(2));
            });
    return addresses;
  }

  /** A row as stored (finality and Bitcoin address still to be labelled). */
  private record Stored(TransactionRow row) {}

  private static Stored map(ResultSet rs, int rowNum) throws SQLException {
    long newBalance = rs.getLong("new_balance_sats");
    Long newBalanceSats = rs.wasNull() ? null : newBalance;
    return new Stored(
        new TransactionRow(
            rs.getLong("chain_id"),
            rs.getString("tx_hash"),
            rs.getInt("log_index"),
            rs.getLong("block_number"),
            rs.getString("block_hash"),
            instant(rs.getObject("block_timestamp", OffsetDateTime.class)),
            rs.getString("contract"),
            rs.getString("event_name"),
            rs.getString("token"),
            rs.getString("user_address"),
            rs.getString("counterparty"),
            TxType.valueOf(rs.getString("tx_type")),
            integer(rs.getBigDecimal("amount")),
            integer(rs.getBigDecimal("delta")),
            integer(rs.getBigDecimal("fee_wei")),
            newBalanceSats,
            null,
            TxFinality.PENDING,
            rs.getBoolean("is_emergency_burn"),
            rs.getBoolean("listed"),
            rs.getString("reason"),
            rs.getString("source"),
            rs.getString("spent_by")));
  }

  private static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }

  private static BigInteger integer(BigDecimal value) {
    return value.toBigIntegerExact();
  }

  /** Column arrays of a set of rows, for unnest. */
  private static final class Columns {
    private final List<TransactionRow> rows;

    Columns(Collection<TransactionRow> rows) {
      this.rows = List.copyOf(rows);
    }

    Long[] longs(Function<TransactionRow, Long> column) {
      return rows.stream().map(column).toArray(Long[]::new);
    }

    Integer[] ints(Function<TransactionRow, Integer> column) {
      return rows.stream().map(column).toArray(Integer[]::new);
    }

    String[] strings(Function<TransactionRow, String> column) {
      return rows.stream().map(column).toArray(String[]::new);
    }
  }
}
