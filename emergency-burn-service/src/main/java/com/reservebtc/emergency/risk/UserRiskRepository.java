package com.reservebtc.emergency.risk;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The {@code user_risk} table. {@link #lock} holds the user's row until the caller's transaction
 * ends, so the Synced and FeeVault listeners never overwrite each other's update.
 */
@Repository
class UserRiskRepository {

  private final JdbcClient jdbc;

  UserRiskRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Transactional(propagation = Propagation.MANDATORY)
  UserRisk lock(String user) {
    jdbc.sql("insert into user_risk (user_address) values (?) on conflict do nothing")
        .param(user)
        .update();
    return lockExisting(user).orElseThrow();
  }

  /** Like {@link #lock} for a user already known; empty (and nothing written) otherwise. */
  @Transactional(propagation = Propagation.MANDATORY)
  Optional<UserRisk> lockExisting(String user) {
    return jdbc.sql(
            """
            select user_address, rbtc_balance_sats, fee_vault_balance_wei, at_risk
            from user_risk where user_address = ? for update
            """)
        .param(user)
        .query(UserRiskRepository::map)
        .optional();
  }

  private static UserRisk map(ResultSet rs, int row) throws SQLException {
    return new UserRisk(
        rs.getString("user_address"),
        rs.getLong("rbtc_balance_sats"),
        rs.getBigDecimal("fee_vault_balance_wei").toBigIntegerExact(),
        rs.getBoolean("at_risk"));
  }

  @Transactional(propagation = Propagation.MANDATORY)
  void save(UserRisk risk, String lastEventId) {
    jdbc.sql(
            """
            update user_risk set rbtc_balance_sats = ?, fee_vault_balance_wei = ?, at_risk = ?,
              last_event_id = ?, updated_at = now()
            where user_address = ?
            """)
        .params(
            risk.rbtcBalanceSats(),
            new BigDecimal(risk.feeVaultBalanceWei()),
            risk.atRisk(),
            lastEventId,
            risk.user())
        .update();
  }
}
