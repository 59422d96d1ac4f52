package com.reservebtc.yield.scales;

import com.reservebtc.schemas.EventIds;
import com.reservebtc.schemas.avro.ChainLogRef;
import com.reservebtc.schemas.avro.Finality;
import com.reservebtc.yield.finality.FinalityUpgrade;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The {@code yield_scales_state} table: the pool contract's own scale and rate events, each with
 * its finality (raised by block markers).
 */
@Repository
public class ScalesStateRepository implements FinalityUpgrade {

  private final JdbcClient jdbc;

  ScalesStateRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Transactional(propagation = Propagation.MANDATORY)
  public void yieldCalculated(
      ChainLogRef log,
      Finality finality,
      BigInteger totalUsdtVirtual,
      BigInteger totalRbtcSupply,
      BigInteger rate) {
    insert(
        log,
        finality,
        "YIELD_CALCULATED",
        totalUsdtVirtual,
        totalRbtcSupply,
        rate,
        null,
        null,
        null);
  }

  @Transactional(propagation = Propagation.MANDATORY)
  public void scalesBalanceUpdated(
      ChainLogRef log,
      Finality finality,
      BigInteger usdtScale,
      BigInteger rbtcScale,
      BigInteger scaleTimestamp) {
    insert(
        log,
        finality,
        "SCALES_BALANCE_UPDATED",
        null,
        null,
        null,
        usdtScale,
        rbtcScale,
        scaleTimestamp);
  }

  @Override
  public int upgradeFinality(long chainId, long blockNumber, Finality target) {
    return jdbc.sql(
            """
            update yield_scales_state set finality = :target
            where chain_id = :chain and block_number <= :block and finality in (:lower)
            """)
        .param("target", target.name())
        .param("chain", chainId)
        .param("block", blockNumber)
        .param(
            "lower",
            target == Finality.FINALIZED ? List.of("PENDING", "CONFIRMED") : List.of("PENDING"))
        .update();
  }

  @Transactional(propagation = Propagation.MANDATORY)
  public int delete(ChainLogRef log) {
    return jdbc.sql("delete from yield_scales_state where event_id = ?")
        .param(EventIds.of(log))
        .update();
  }

  private void insert(
      ChainLogRef log,
      Finality finality,
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
              block_timestamp, chain_id, finality)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (event_id) do update set block_number = excluded.block_number,
              block_hash = excluded.block_hash, block_timestamp = excluded.block_timestamp,
              finality = excluded.finality
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
            Timestamp.from(Instant.ofEpochSecond(log.getBlockTimestamp())),
            log.getChainId(),
            finality.name())
        .update();
  }

  private static BigDecimal decimal(BigInteger value) {
    return value == null ? null : new BigDecimal(value);
  }
}
