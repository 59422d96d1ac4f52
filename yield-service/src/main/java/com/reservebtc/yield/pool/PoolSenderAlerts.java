package com.reservebtc.yield.pool;

import com.reservebtc.txsender.SenderListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Turns the sender's stuck and resumed reports into audit rows ({@code POOL_SENDER_STUCK}, {@code
 * POOL_SENDER_RESUMED}, under the key's address), next to its WARN line and {@code
 * rbtc.txsender.stuck} gauge.
 */
@Component
class PoolSenderAlerts implements SenderListener {

  private final JdbcClient jdbc;

  PoolSenderAlerts(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void stuck(Stuck stuck) {
    record(
        stuck.address(),
        "POOL_SENDER_STUCK",
        stuck.reason() + (stuck.hashes().isEmpty() ? "" : " " + stuck.hashes()));
  }

  @Override
  public void resumed(String address, String detail) {
    record(address, "POOL_SENDER_RESUMED", detail);
  }

  private void record(String address, String operation, String details) {
    jdbc.sql(
            """
            insert into yield_operations_log (user_address, operation, details, occurred_at)
            values (?, ?, ?, now())
            """)
        .params(address, operation, details)
        .update();
  }
}
