package com.reservebtc.yield.scales;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code yield_scales_state} table: the pool contract's own scale and rate events, one row per
 * canonical log (no finality stored: it is read from {@code chain_heights} by block number).
 */
@Repository
public class ScalesStateRepository {

  private final JdbcClient jdbc;

  ScalesStateRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * One row of the table.
   *
   * @param kind YIELD_CALCULATED or SCALES_BALANCE_UPDATED
   * @param blockTimestamp epoch seconds
   */
  public record Row(
      String eventId,
      String kind,
      long chainId,
      long blockNumber,
      String blockHash,
      long blockTimestamp,
      BigInteger totalUsdtVirtual,
      BigInteger totalRbtcSupply,
      BigInteger currentYieldRate,
      BigInteger usdtScale,
      BigInteger rbtcScale,
      BigInteger scaleTimestamp) {}

  /**
   * Deletes the rows of {@code eventIds} (retracted, or found in another block) and stores {@code
   * rows}: two statements, whatever their number.
   */
  public void replace(Collection<String> eventIds, List<Row> rows) {
    if (!eventIds.isEmpty()) {
      jdbc.sql("delete from yield_scales_state where event_id = any(:ids)")
          .param("ids", eventIds.toArray(String[]::new))
          .update();
    }
    if (rows.isEmpty()) {
      return;
    }
    jdbc.sql(
            """
            insert into yield_scales_state (event_id, kind, total_usdt_virtual, total_rbtc_supply,
              current_yield_rate, usdt_scale, rbtc_scale, scale_timestamp, chain_id, block_number,
              block_hash, block_timestamp)
            select u.id, u.kind, u.usdt, u.supply, u.rate, u.usdt_scale, u.rbtc_scale, u.ts,
              u.chain, u.block, u.hash, to_timestamp(u.block_ts)
            from unnest(:ids::text[], :kinds::text[], :usdt::numeric[], :supply::numeric[],
                        :rate::numeric[], :usdtScale::numeric[], :rbtcScale::numeric[],
                        :ts::numeric[], :chains::bigint[], :blocks::bigint[], :hashes::text[],
                        :blockTs::bigint[])
              as u(id, kind, usdt, supply, rate, usdt_scale, rbtc_scale, ts, chain, block, hash,
                   block_ts)
            """)
        .param("ids", rows.stream().map(Row::eventId).toArray(String[]::new))
        .param("kinds", rows.stream().map(Row::kind).toArray(String[]::new))
        .param("usdt", decimals(rows, Row::totalUsdtVirtual))
        .param("supply", decimals(rows, Row::totalRbtcSupply))
        .param("rate", decimals(rows, Row::currentYieldRate))
        .param("usdtScale", decimals(rows, Row::usdtScale))
        .param("rbtcScale", decimals(rows, Row::rbtcScale))
        .param("ts", decimals(rows, Row::scaleTimestamp))
        .param("chains", rows.stream().map(Row::chainId).toArray(Long[]::new))
        .param("blocks", rows.stream().map(Row::blockNumber).toArray(Long[]::new))
        .param("hashes", rows.stream().map(Row::blockHash).toArray(String[]::new))
        .param("blockTs", rows.stream().map(Row::blockTimestamp).toArray(Long[]::new))
        .update();
  }

  private static BigDecimal[] decimals(List<Row> rows, Function<Row, BigInteger> field) {
    return rows.stream()
        .map(field)
        .map(v -> v == null ? null : new BigDecimal(v))
        .toArray(BigDecimal[]::new);
  }
}
