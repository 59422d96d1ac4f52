package com.reservebtc.emergency.burns;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code emergency_burns} table and its summary view. Writers provide the transaction. A burn's
 * finality is not stored: it is read from {@code chain_heights} (the latest block markers), so it
 * follows the heights, down too after a reorg.
 */
@Repository
class EmergencyBurnRepository {

  /** Finality of a burn from its chain's current heights. */
  private static final String FINALITY =
      """
      case when h.finalized_block is not null and b.block_number <= h.finalized_block
             then 'FINALIZED'
           when h.confirmed_block is not null and b.block_number <= h.confirmed_block
             then 'CONFIRMED'
           else 'PENDING' end
      """;

  private final JdbcClient jdbc;

  EmergencyBurnRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Inserts the burns, or moves them to their new block when they are known already. */
  void upsert(List<StoredBurn> burns) {
    if (burns.isEmpty()) {
      return;
    }
    jdbc.sql(
            """
            insert into emergency_burns (event_id, user_address, source, burned_amount_sats,
              reason, chain_id, contract_address, tx_hash, log_index, block_number, block_hash,
              block_timestamp)
            select id, usr, src, sats, reason, chain, contract, tx, log_index, block, hash,
              to_timestamp(seconds)
            from unnest(:ids::text[], :users::text[], :sources::text[], :sats::bigint[],
              :reasons::text[], :chains::bigint[], :contracts::text[], :txs::text[],
              :logIndexes::int[], :blocks::bigint[], :hashes::text[], :times::bigint[])
              as v(id, usr, src, sats, reason, chain, contract, tx, log_index, block, hash,
                seconds)
            on conflict (event_id) do update set
              block_number = excluded.block_number, block_hash = excluded.block_hash,
              block_timestamp = excluded.block_timestamp
            """)
        .param("ids", burns.stream().map(StoredBurn::eventId).toArray(String[]::new))
        .param("users", burns.stream().map(StoredBurn::user).toArray(String[]::new))
        .param("sources", burns.stream().map(StoredBurn::source).toArray(String[]::new))
        .param("sats", burns.stream().map(StoredBurn::burnedSats).toArray(Long[]::new))
        .param("reasons", burns.stream().map(StoredBurn::reason).toArray(String[]::new))
        .param("chains", burns.stream().map(StoredBurn::chainId).toArray(Long[]::new))
        .param("contracts", burns.stream().map(StoredBurn::contract).toArray(String[]::new))
        .param("txs", burns.stream().map(StoredBurn::txHash).toArray(String[]::new))
        .param("logIndexes", burns.stream().map(StoredBurn::logIndex).toArray(Integer[]::new))
        .param("blocks", burns.stream().map(StoredBurn::blockNumber).toArray(Long[]::new))
        .param("hashes", burns.stream().map(StoredBurn::blockHash).toArray(String[]::new))
        .param(
            "times",
            burns.stream().map(b -> b.blockTimestamp().getEpochSecond()).toArray(Long[]::new))
        .update();
  }

  void delete(List<String> eventIds) {
    if (eventIds.isEmpty()) {
      return;
    }
    jdbc.sql("delete from emergency_burns where event_id = any(:ids::text[])")
        .param("ids", eventIds.toArray(String[]::new))
        .update();
  }

  EmergencyBurnTotals totals() {
    return jdbc.sql(
            """
            select coalesce(sum(burn_count), 0)::bigint                   as total_burns,
                   coalesce(sum(total_burned_sats), 0)::bigint            as total_burned_sats,
                   count(*) filter (where burn_count > 0)                 as users_affected,
                   coalesce(sum(pool_burn_count), 0)::bigint              as pool_burns,
                   max(last_burn_at)                                      as last_burn_at
            from emergency_burn_summary
            """)
        .query(
            (rs, n) ->
                new EmergencyBurnTotals(
                    rs.getLong("total_burns"),
                    rs.getLong("total_burned_sats"),
                    rs.getLong("users_affected"),
                    rs.getLong("pool_burns"),
                    rs.getTimestamp("last_burn_at") == null
                        ? null
                        : rs.getTimestamp("last_burn_at").toInstant()))
        .single();
  }

  List<EmergencyBurn> findByUser(String user) {
    return jdbc.sql(
            """
            select b.event_id, b.user_address, b.source, b.burned_amount_sats, b.reason,
                   b.chain_id, b.contract_address, b.tx_hash, b.log_index, b.block_number,
                   b.block_hash, b.block_timestamp, b.created_at,
            """
                + FINALITY
                + """
                   as finality
            from emergency_burns b left join chain_heights h on h.chain_id = b.chain_id
            where b.user_address = ?
            order by b.block_number desc, b.log_index desc
            """)
        .param(user)
        .query(
            (rs, n) ->
                new EmergencyBurn(
                    rs.getString("event_id"),
                    rs.getString("user_address"),
                    rs.getString("source"),
                    rs.getLong("burned_amount_sats"),
                    rs.getString("reason"),
                    rs.getLong("chain_id"),
                    rs.getString("contract_address"),
                    rs.getString("tx_hash"),
                    rs.getInt("log_index"),
                    rs.getLong("block_number"),
                    rs.getString("block_hash"),
                    rs.getTimestamp("block_timestamp").toInstant(),
                    rs.getString("finality"),
                    rs.getTimestamp("created_at").toInstant()))
        .list();
  }
}
