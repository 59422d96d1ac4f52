package com.reservebtc.emergency.burns;

import com.reservebtc.emergency.finality.FinalityUpgrade;
import com.reservebtc.schemas.EventIds;
import com.reservebtc.schemas.avro.ChainLogRef;
import com.reservebtc.schemas.avro.Finality;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code emergency_burns} table and its summary view. Callers provide the transaction. */
@Repository
class EmergencyBurnRepository implements FinalityUpgrade {

  private static final Logger log = LoggerFactory.getLogger(EmergencyBurnRepository.class);

  private final JdbcClient jdbc;

  EmergencyBurnRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void insert(
      ChainLogRef log,
      String user,
      String source,
      long burnedSats,
      String reason,
      Finality finality) {
    jdbc.sql(
            """
            insert into emergency_burns (event_id, user_address, source, burned_amount_sats, reason,
              chain_id, contract_address, tx_hash, log_index, block_number, block_hash,
              block_timestamp, finality)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (event_id) do update set
              block_number = excluded.block_number, block_hash = excluded.block_hash,
              block_timestamp = excluded.block_timestamp, finality = excluded.finality
            """)
        .params(
            EventIds.of(log),
            user,
            source,
            burnedSats,
            reason,
            log.getChainId(),
            log.getContract().toLowerCase(Locale.ROOT),
            log.getTxHash().toLowerCase(Locale.ROOT),
            log.getLogIndex(),
            log.getBlockNumber(),
            log.getBlockHash(),
            Timestamp.from(Instant.ofEpochSecond(log.getBlockTimestamp())),
            finality.name())
        .update();
  }

  int delete(ChainLogRef log) {
    return jdbc.sql("delete from emergency_burns where event_id = ?")
        .param(EventIds.of(log))
        .update();
  }

  @Override
  public int upgradeFinality(long chainId, long blockNumber, Finality target) {
    List<String> lower =
        target == Finality.FINALIZED ? List.of("PENDING", "CONFIRMED") : List.of("PENDING");
    int upgraded =
        jdbc.sql(
                """
                update emergency_burns set finality = :target
                where chain_id = :chain and block_number <= :block and finality in (:lower)
                """)
            .param("target", target.name())
            .param("chain", chainId)
            .param("block", blockNumber)
            .param("lower", lower)
            .update();
    if (upgraded > 0) {
      log.info(
          "{} emergency burns on chain {} now {} (marker at block {})",
          upgraded,
          chainId,
          target,
          blockNumber);
    }
    return upgraded;
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
            select event_id, user_address, source, burned_amount_sats, reason, chain_id,
                   contract_address, tx_hash, log_index, block_number, block_hash,
                   block_timestamp, finality, created_at
            from emergency_burns where user_address = ?
            order by block_number desc, log_index desc
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
