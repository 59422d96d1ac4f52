package com.reservebtc.gateway.projection;

import com.reservebtc.gateway.api.TransactionRow;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** JDBC access of the projection to {@code balances} and {@code balance_history}. */
@Component
class BalanceStore {

  /** A balance the history tracks. */
  enum Asset {
    RBTC,
    WRBTC,
    FEE_VAULT_WEI;

    String column() {
      return switch (this) {
        case RBTC -> "rbtc_sats";
        case WRBTC -> "wrbtc";
        case FEE_VAULT_WEI -> "fee_vault_wei";
      };
    }
  }

  private final JdbcClient jdbc;

  BalanceStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Sets the user's rBTC balance to newBalanceSats of their latest stored Synced row (by block and
   * log index), or 0 when none is left. Independent of the order records arrive in.
   */
  void recomputeRbtc(String user) {
    jdbc.sql(
            """
            INSERT INTO balances AS b (user_address, rbtc_sats, rbtc_block_number, rbtc_log_index,
                rbtc_block_timestamp)
            SELECT :user, COALESCE(s.new_balance_sats, 0), s.block_number, s.log_index, s.block_timestamp
            FROM (SELECT 1) one
            LEFT JOIN LATERAL (
                SELECT new_balance_sats, block_number, log_index, block_timestamp FROM transactions
                WHERE user_address = :user AND event_name = 'Synced'
                ORDER BY block_number DESC, log_index DESC LIMIT 1) s ON true
            ON CONFLICT (user_address) DO UPDATE SET
                rbtc_sats = EXCLUDED.rbtc_sats,
                rbtc_block_number = EXCLUDED.rbtc_block_number,
                rbtc_log_index = EXCLUDED.rbtc_log_index,
                rbtc_block_timestamp = EXCLUDED.rbtc_block_timestamp,
                updated_at = now()
            """)
        .param("user", user)
        .update();
  }

  /** Adds {@code delta} to an additive balance and returns the balance after it. */
  BigInteger add(String user, Asset asset, BigInteger delta) {
    if (asset == Asset.RBTC) {
      throw new IllegalArgumentException("the rBTC balance is recomputed, never added to");
    }
    String column = asset.column();
    BigDecimal after =
        jdbc.sql(
                "INSERT INTO balances AS b (user_address, "
                    + column
                    + ") VALUES (:user, :delta) ON CONFLICT (user_address) DO UPDATE SET "
                    + column
                    + " = b."
                    + column
                    + " + EXCLUDED."
                    + column
                    + ", updated_at = now() RETURNING "
                    + column)
            .param("user", user)
            .param("delta", new BigDecimal(delta))
            .query(BigDecimal.class)
            .single();
    return after.toBigIntegerExact();
  }

  void recordHistory(
      String user, Asset asset, TransactionRow row, BigInteger delta, BigInteger balanceAfter) {
    jdbc.sql(
            """
            INSERT INTO balance_history (user_address, asset, event_id, block_hash, block_number,
                log_index, block_timestamp, delta, balance_after)
            VALUES (:user, :asset, :event, :blockHash, :block, :log, :ts, :delta, :after)
            ON CONFLICT (event_id, user_address, asset) DO UPDATE SET
                block_hash = EXCLUDED.block_hash, block_number = EXCLUDED.block_number,
                log_index = EXCLUDED.log_index, block_timestamp = EXCLUDED.block_timestamp,
                delta = EXCLUDED.delta, balance_after = EXCLUDED.balance_after,
                recorded_at = now()
            """)
        .param("user", user)
        .param("asset", asset.name())
        .param("event", row.eventId())
        .param("blockHash", row.blockHash())
        .param("block", row.blockNumber())
        .param("log", row.logIndex())
        .param("ts", OffsetDateTime.ofInstant(row.blockTimestamp(), ZoneOffset.UTC))
        .param("delta", new BigDecimal(delta))
        .param("after", new BigDecimal(balanceAfter))
        .update();
  }

  /** Removes the history entries a retracted log caused. */
  void deleteHistory(TransactionRow row) {
    jdbc.sql("DELETE FROM balance_history WHERE event_id = :event AND block_hash = :blockHash")
        .param("event", row.eventId())
        .param("blockHash", row.blockHash())
        .update();
  }
}
