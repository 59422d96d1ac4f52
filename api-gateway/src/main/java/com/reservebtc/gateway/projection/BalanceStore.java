package com.reservebtc.gateway.projection;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Collection;
import java.util.SortedMap;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * JDBC access of the projection to {@code balances} and {@code balance_history}, set-based. Every
 * balance is a function of the set of stored logs, never of the order they were applied in: the
 * rBTC balance is the newBalance of the user's latest stored Synced row, the others sums of changes
 * (commutative additions), and the running balance of the history is computed when read.
 */
@Component
class BalanceStore {

  /** A balance the history tracks. */
  enum Asset {
    RBTC,
    WRBTC,
    FEE_VAULT_WEI
  }

  /** A user's balance of one asset. */
  record Holding(String user, Asset asset) implements Comparable<Holding> {
    @Override
    public int compareTo(Holding other) {
      int byUser = user.compareTo(other.user);
      return byUser != 0 ? byUser : asset.compareTo(other.asset);
    }
  }

  /** One log's net change of one holding, as {@code balance_history} keeps it. */
  record Change(
      String eventId,
      Holding holding,
      String blockHash,
      long blockNumber,
      int logIndex,
      Instant blockTimestamp,
      BigInteger delta) {}

  private final JdbcClient jdbc;

  BalanceStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Adds the summed changes to the wrBTC and fee-vault balances (rows in user order, so concurrent
   * batches take the rows' locks in one order). A user whose changes sum to zero still gets a row,
   * as a user whose logs were applied in one batch and retracted in another keeps one: whether the
   * row exists must not depend on how the logs were split into batches.
   */
  void add(SortedMap<Holding, BigInteger> sums) {
    // per user (in user order): {wrBTC change, fee-vault change}
    SortedMap<String, BigInteger[]> perUser = new TreeMap<>();
    sums.forEach(
        (holding, delta) -> {
          if (holding.asset() == Asset.RBTC) {
            return;
          }
          BigInteger[] both =
              perUser.computeIfAbsent(
                  holding.user(), u -> new BigInteger[] {BigInteger.ZERO, BigInteger.ZERO});
          int slot = holding.asset() == Asset.WRBTC ? 0 : 1;
          both[slot] = both[slot].add(delta);
        });
    if (perUser.isEmpty()) {
      return;
    }
    jdbc.sql(
            """
            INSERT INTO balances AS b (user_address, wrbtc, fee_vault_wei)
            SELECT usr, wrbtc::numeric, fee::numeric
            FROM unnest(:users::text[], :wrbtc::text[], :fee::text[]) AS v(usr, wrbtc, fee)
            ON CONFLICT (user_address) DO UPDATE SET
                wrbtc = b.wrbtc + EXCLUDED.wrbtc,
                fee_vault_wei = b.fee_vault_wei + EXCLUDED.fee_vault_wei,
                updated_at = now()
            """)
        .param("users", perUser.keySet().toArray(String[]::new))
        .param("wrbtc", perUser.values().stream().map(v -> v[0].toString()).toArray(String[]::new))
        .param("fee", perUser.values().stream().map(v -> v[1].toString()).toArray(String[]::new))
        .update();
  }

  /**
   * Sets each user's rBTC balance to newBalanceSats of their latest stored Synced row (by block and
   * log index), or 0 when none is left.
   */
  void recomputeRbtc(Collection<String> users) {
    if (users.isEmpty()) {
      return;
    }
    jdbc.sql(
            """
            INSERT INTO balances AS b (user_address, rbtc_sats, rbtc_block_number, rbtc_log_index,
                rbtc_block_timestamp)
            SELECT u.usr, COALESCE(s.new_balance_sats, 0), s.block_number, s.log_index,
                s.block_timestamp
            FROM (SELECT DISTINCT usr FROM unnest(:users::text[]) AS x(usr)) u
            LEFT JOIN LATERAL (
                SELECT new_balance_sats, block_number, log_index, block_timestamp FROM transactions
                WHERE user_address = u.usr AND event_name = 'Synced'
                ORDER BY block_number DESC, log_index DESC LIMIT 1) s ON true
            ORDER BY u.usr
            ON CONFLICT (user_address) DO UPDATE SET
                rbtc_sats = EXCLUDED.rbtc_sats,
                rbtc_block_number = EXCLUDED.rbtc_block_number,
                rbtc_log_index = EXCLUDED.rbtc_log_index,
                rbtc_block_timestamp = EXCLUDED.rbtc_block_timestamp,
                updated_at = now()
            """)
        .param("users", users.toArray(String[]::new))
        .update();
  }

  /** Records the changes (a log's row moved to another block is updated in place). */
  void recordHistory(Collection<Change> changes) {
    if (changes.isEmpty()) {
      return;
    }
    jdbc.sql(
            """
            INSERT INTO balance_history (user_address, asset, event_id, block_hash, block_number,
                log_index, block_timestamp, delta)
            SELECT usr, asset, event, hash, block, log, to_timestamp(ts), delta::numeric
            FROM unnest(:users::text[], :assets::text[], :events::text[], :hashes::text[],
                :blocks::bigint[], :logs::int[], :ts::bigint[], :deltas::text[])
                AS v(usr, asset, event, hash, block, log, ts, delta)
            ON CONFLICT (event_id, user_address, asset) DO UPDATE SET
                block_hash = EXCLUDED.block_hash, block_number = EXCLUDED.block_number,
                log_index = EXCLUDED.log_index, block_timestamp = EXCLUDED.block_timestamp,
                delta = EXCLUDED.delta, recorded_at = now()
            """)
        .param("users", changes.stream().map(c -> c.holding().user()).toArray(String[]::new))
        .param(
            "assets", changes.stream().map(c -> c.holding().asset().name()).toArray(String[]::new))
        .param("events", changes.stream().map(Change::eventId).toArray(String[]::new))
        .param("hashes", changes.stream().map(Change::blockHash).toArray(String[]::new))
        .param("blocks", changes.stream().map(Change::blockNumber).toArray(Long[]::new))
        .param("logs", changes.stream().map(Change::logIndex).toArray(Integer[]::new))
        .param(
            "ts",
            changes.stream().map(c -> c.blockTimestamp().getEpochSecond()).toArray(Long[]::new))
        .param("deltas", changes.stream().map(c -> c.delta().toString()).toArray(String[]::new))
        .update();
  }

  /** Removes the history entries of these logs. */
  void deleteHistory(Collection<String> eventIds) {
    if (eventIds.isEmpty()) {
      return;
    }
    jdbc.sql("DELETE FROM balance_history WHERE event_id = ANY(:events::text[])")
        .param("events", eventIds.toArray(String[]::new))
        .update();
  }
}
