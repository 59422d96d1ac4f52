package com.reservebtc.yield.scales;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The single-row {@code yield_pool_totals} table. {@link #lock} serialises every supply change of
 * the service (all listeners lock it first, then the participant row, so they cannot deadlock).
 */
@Repository
public class PoolTotalsRepository {

  private final JdbcClient jdbc;

  PoolTotalsRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Transactional(propagation = Propagation.MANDATORY)
  public PoolScales lock() {
    return jdbc.sql(
            "select total_supply_sats, peak_supply_sats from yield_pool_totals where id = 1 for update")
        .query((rs, n) -> new PoolScales(rs.getLong(1), rs.getLong(2)))
        .single();
  }

  public PoolScales current() {
    return jdbc.sql(
            "select total_supply_sats, peak_supply_sats from yield_pool_totals where id = 1")
        .query((rs, n) -> new PoolScales(rs.getLong(1), rs.getLong(2)))
        .single();
  }

  @Transactional(propagation = Propagation.MANDATORY)
  public void save(PoolScales scales) {
    jdbc.sql(
            """
            update yield_pool_totals set total_supply_sats = ?, peak_supply_sats = ?,
              updated_at = now() where id = 1
            """)
        .params(scales.totalSupplySats(), scales.peakSupplySats())
        .update();
  }
}
