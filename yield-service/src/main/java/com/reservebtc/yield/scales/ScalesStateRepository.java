package com.reservebtc.yield.scales;

import com.reservebtc.schemas.EventIds;
import com.reservebtc.schemas.avro.ChainLogRef;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** The {@code yield_scales_state} table: the pool contract's own scale and rate events. */
@Repository
public class ScalesStateRepository {

  private final JdbcClient jdbc;

  ScalesStateRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Transactional(propagation = Propagation.MANDATORY)
  public void yieldCalculated(
      ChainLogRef log, BigInteger totalUsdtVirtual, BigInteger totalRbtcSupply, BigInteger rate) {
    insert(log, "YIELD_CALCULATED", totalUsdtVirtual, totalRbtcSupply, rate, null, null, null);
  }

  @Transactional(propagation = Propagation.MANDATORY)
  public void scalesBalanceUpdated(
      ChainLogRef log, BigInteger usdtScale, BigInteger rbtcScale, BigInteger scaleTimestamp) {
    insert(log, "SCALES_BALANCE_UPDATED", null, null, null, usdtScale, rbtcScale, scaleTimestamp);
  }

  @Transactional(propagation = Propagation.MANDATORY)
  public int delete(ChainLogRef log) {
    return jdbc.sql("delete from yield_scales_state where event_id = ?")
        .param(EventIds.of(log))
        .update();
  }

  private void insert(
      ChainLogRef log,
      String kind,
      BigInteger totalUsdtVirtual,
      BigInteger totalRbtcSupply,
      BigInteger rate,
      BigInteger usdtScale,
      BigInteger rbtcScale,
      BigInteger scaleTimestamp) {
    jdbc.sql(
            """
            insert into yield_scales_state (event_id, kind, total_usdt_virtual, total_rbtc_supply,
              current_yield_rate, usdt_scale, rbtc_scale, scale_timestamp, block_number, block_hash,
              block_timestamp)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (event_id) do update set block_number = excluded.block_number,
              block_hash = excluded.block_hash, block_timestamp = excluded.block_timestamp
            """)
        .params(
            EventIds.of(log),
            kind,
            decimal(totalUsdtVirtual),
            decimal(totalRbtcSupply),
            decimal(rate),
            decimal(usdtScale),
            decimal(rbtcScale),
            decimal(scaleTimestamp),
            log.getBlockNumber(),
            log.getBlockHash(),
            Timestamp.from(Instant.ofEpochSecond(log.getBlockTimestamp())))
        .update();
  }

  private static BigDecimal decimal(BigInteger value) {
    return value == null ? null : new BigDecimal(value);
  }
}
