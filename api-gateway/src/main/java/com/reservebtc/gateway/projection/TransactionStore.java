package com.reservebtc.gateway.projection;

import com.reservebtc.gateway.api.TransactionRow;
import com.reservebtc.gateway.api.TxFinality;
import com.reservebtc.gateway.api.TxType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** JDBC access of the projection to the {@code transactions} and {@code chain_heads} tables. */
@Component
class TransactionStore {

  static final RowMapper<TransactionRow> ROW_MAPPER = TransactionStore::map;

  private final JdbcClient jdbc;

  TransactionStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Optional<TransactionRow> find(long chainId, String txHash, int logIndex) {
    return jdbc.sql(
            "SELECT * FROM transactions WHERE chain_id = :chain AND tx_hash = :tx AND log_index = :log")
        .param("chain", chainId)
        .param("tx", txHash)
        .param("log", logIndex)
        .query(ROW_MAPPER)
        .optional();
  }

  void insert(TransactionRow row) {
    jdbc.sql(
            """
            INSERT INTO transactions (chain_id, tx_hash, log_index, block_number, block_hash,
                block_timestamp, contract, event_name, token, user_address, counterparty, tx_type,
                amount, delta, fee_wei, new_balance_sats, bitcoin_address, finality,
                is_emergency_burn, listed, reason, source, spent_by)
            VALUES (:chain, :tx, :log, :block, :blockHash, :ts, :contract, :event, :token, :user,
                :counterparty, :type, :amount, :delta, :fee, :newBalance, :btc, :finality,
                :emergency, :listed, :reason, :source, :spentBy)
            """)
        .param("chain", row.chainId())
        .param("tx", row.txHash())
        .param("log", row.logIndex())
        .param("block", row.blockNumber())
        .param("blockHash", row.blockHash())
        .param("ts", OffsetDateTime.ofInstant(row.blockTimestamp(), ZoneOffset.UTC))
        .param("contract", row.contract())
        .param("event", row.eventName())
        .param("token", row.token())
        .param("user", row.userAddress())
        .param("counterparty", row.counterparty())
        .param("type", row.txType().name())
        .param("amount", new BigDecimal(row.amount()))
        .param("delta", new BigDecimal(row.delta()))
        .param("fee", new BigDecimal(row.feeWei()))
        .param("newBalance", row.newBalanceSats())
        .param("btc", row.bitcoinAddress())
        .param("finality", row.finality().name())
        .param("emergency", row.emergencyBurn())
        .param("listed", row.listed())
        .param("reason", row.reason())
        .param("source", row.source())
        .param("spentBy", row.spentBy())
        .update();
  }

  /** Deletes the row of this log if it is stored from block {@code blockHash}. */
  Optional<TransactionRow> deleteFromBlock(TransactionRow key) {
    return jdbc.sql(
            "DELETE FROM transactions WHERE chain_id = :chain AND tx_hash = :tx AND log_index = :log"
                + " AND block_hash = :blockHash RETURNING *")
        .param("chain", key.chainId())
        .param("tx", key.txHash())
        .param("log", key.logIndex())
        .param("blockHash", key.blockHash())
        .query(ROW_MAPPER)
        .optional();
  }

  /** Whether the aggregator's EmergencyBurn of this user is stored in the same transaction. */
  boolean hasEmergencyBurn(long chainId, String txHash, String user) {
    return jdbc.sql(
            "SELECT EXISTS (SELECT 1 FROM transactions WHERE chain_id = :chain AND tx_hash = :tx"
                + " AND user_address = :user AND tx_type = 'EMERGENCY_BURN')")
        .param("chain", chainId)
        .param("tx", txHash)
        .param("user", user)
        .query(Boolean.class)
        .single();
  }

  /** Flags (or unflags) the Synced rows of this user in this transaction as an emergency burn. */
  List<TransactionRow> flagEmergencyBurn(long chainId, String txHash, String user, boolean flag) {
    return jdbc.sql(
            "UPDATE transactions SET is_emergency_burn = :flag WHERE chain_id = :chain"
                + " AND tx_hash = :tx AND user_address = :user AND event_name = 'Synced'"
                + " AND is_emergency_burn <> :flag RETURNING *")
        .param("flag", flag)
        .param("chain", chainId)
        .param("tx", txHash)
        .param("user", user)
        .query(ROW_MAPPER)
        .list();
  }

  /** The finality a log in {@code blockNumber} has by the chain's markers seen so far. */
  TxFinality finalityByMarkers(long chainId, long blockNumber) {
    return jdbc.sql(
            "SELECT CASE WHEN finalized_block >= :block THEN 'FINALIZED'"
                + " WHEN confirmed_block >= :block THEN 'CONFIRMED' ELSE 'PENDING' END"
                + " FROM chain_heads WHERE chain_id = :chain")
        .param("block", blockNumber)
        .param("chain", chainId)
        .query(String.class)
        .optional()
        .map(TxFinality::valueOf)
        .orElse(TxFinality.PENDING);
  }

  /** The bound Bitcoin address monitored for {@code user} most recently, if any. */
  Optional<String> monitoredBitcoinAddress(String user) {
    return jdbc.sql(
            "SELECT bitcoin_address FROM bitcoin_addresses WHERE eth_address = :user"
                + " AND is_monitoring ORDER BY monitoring_started_at DESC NULLS LAST, id DESC LIMIT 1")
        .param("user", user)
        .query(String.class)
        .optional();
  }

  private static TransactionRow map(ResultSet rs, int rowNum) throws SQLException {
    long newBalance = rs.getLong("new_balance_sats");
    Long newBalanceSats = rs.wasNull() ? null : newBalance;
    return new TransactionRow(
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
        rs.getString("bitcoin_address"),
        TxFinality.valueOf(rs.getString("finality")),
        rs.getBoolean("is_emergency_burn"),
        rs.getBoolean("listed"),
        rs.getString("reason"),
        rs.getString("source"),
        rs.getString("spent_by"));
  }

  private static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }

  private static BigInteger integer(BigDecimal value) {
    return value.toBigIntegerExact();
  }
}
