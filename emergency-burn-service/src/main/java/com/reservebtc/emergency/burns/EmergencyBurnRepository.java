package com.reservebtc.emergency.burns;

import com.reservebtc.schemas.EventIds;
import com.reservebtc.schemas.avro.ChainLogRef;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code emergency_burns} table. Callers provide the transaction. */
@Repository
class EmergencyBurnRepository {

  private final JdbcClient jdbc;

  EmergencyBurnRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void insert(ChainLogRef log, String user, String source, long burnedSats, String reason) {
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
            log.getFinality().name())
        .update();
  }

  int delete(ChainLogRef log) {
    return jdbc.sql("delete from emergency_burns where event_id = ?")
        .param(EventIds.of(log))
        .update();
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
