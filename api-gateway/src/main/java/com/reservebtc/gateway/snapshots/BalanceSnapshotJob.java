package com.reservebtc.gateway.snapshots;

import com.reservebtc.gateway.GatewayProperties;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Takes the daily per-user balance snapshot and deletes snapshots past the retention period ({@code
 * rbtc.gateway.snapshots.*}). Idempotent per UTC day: running it again the same day (or on several
 * gateway instances) overwrites that day's rows instead of adding more.
 */
@Component
public class BalanceSnapshotJob {

  private static final Logger log = LoggerFactory.getLogger(BalanceSnapshotJob.class);

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final Clock clock;
  private final GatewayProperties properties;

  BalanceSnapshotJob(
      JdbcClient jdbc,
      TransactionTemplate transactions,
      Clock clock,
      GatewayProperties properties) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.clock = clock;
    this.properties = properties;
  }

  @Scheduled(cron = "${rbtc.gateway.snapshots.cron:0 10 0 * * *}", zone = "UTC")
  void scheduled() {
    run();
  }

  /** Snapshots every user's balances for today (UTC) and applies the retention; returns rows. */
  public Result run() {
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    LocalDate oldestKept = today.minus(properties.snapshots().retention());
    Result result =
        transactions.execute(
            status -> {
              int taken =
                  jdbc.sql(
                          """
                          INSERT INTO balance_snapshots (user_address, snapshot_date, rbtc_sats,
                              wrbtc, fee_vault_wei, block_number)
                          SELECT user_address, :today, rbtc_sats, wrbtc, fee_vault_wei,
                              rbtc_block_number
                          FROM balances
                          ON CONFLICT (user_address, snapshot_date) DO UPDATE SET
                              rbtc_sats = EXCLUDED.rbtc_sats, wrbtc = EXCLUDED.wrbtc,
                              fee_vault_wei = EXCLUDED.fee_vault_wei,
                              block_number = EXCLUDED.block_number, taken_at = now()
                          """)
                      .param("today", today)
                      .update();
              int deleted =
                  jdbc.sql("DELETE FROM balance_snapshots WHERE snapshot_date < :oldest")
                      .param("oldest", oldestKept)
                      .update();
              return new Result(taken, deleted);
            });
    log.info(
        "balance snapshot {}: {} users, {} snapshots older than {} deleted",
        today,
        result.taken(),
        result.deleted(),
        oldestKept);
    return result;
  }

  /**
   * @param taken snapshot rows written for today
   * @param deleted snapshot rows removed by the retention
   */
  public record Result(int taken, int deleted) {}
}
