package com.reservebtc.gateway.users;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The operators' read access to {@code user_current_state} and {@code user_audit}. Blocking JDBC:
 * operator reads are rare, and the controller runs them on the bounded elastic scheduler.
 */
@Component
public class UserDirectory {

  /** The states a {@code users} row can have. */
  public static final Set<String> STATES = Set.of("AT_RISK", "BOUND", "SEEN");

  private final JdbcClient jdbc;

  UserDirectory(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** A user's current state ({@code user_current_state}). Amounts are decimal strings. */
  public record UserState(
      String address,
      String state,
      List<String> boundAddresses,
      Instant firstSeenAt,
      Instant lastActivityAt,
      Long lastSeenBlock,
      long rbtcSats,
      String wrbtc,
      String feeVaultWei,
      String syncStatus,
      Instant lastSyncOperationAt,
      Instant lastSyncConfirmedAt,
      Instant lastVerifiedAt,
      boolean atRisk,
      String riskRequiredFeeWei,
      String yieldTier,
      String yieldAccrued,
      boolean yieldRegistered) {}

  /** One audit entry: the record's JSON before and after (null: did not exist / removed). */
  public record AuditEntry(
      long id,
      String address,
      String record,
      String actor,
      String cause,
      String before,
      String after,
      Instant changedAt) {}

  public Optional<UserState> user(String address) {
    return jdbc.sql("SELECT * FROM user_current_state WHERE user_address = :a")
        .param("a", address)
        .query(UserDirectory::state)
        .optional();
  }

  /** Users by latest activity, optionally of one state. */
  public List<UserState> users(String state, int limit, int offset) {
    return jdbc.sql(
            """
            SELECT * FROM user_current_state
            WHERE (CAST(:state AS text) IS NULL OR state = :state)
            ORDER BY last_activity_at DESC, user_address
            LIMIT :limit OFFSET :offset
            """)
        .param("state", state)
        .param("limit", limit)
        .param("offset", offset)
        .query(UserDirectory::state)
        .list();
  }

  /** A user's audit trail, newest first. */
  public List<AuditEntry> audit(String address, int limit, int offset) {
    return jdbc.sql(
            """
            SELECT id, user_address, record, actor, cause, before::text AS before,
                   after::text AS after, changed_at
            FROM user_audit WHERE user_address = :a
            ORDER BY id DESC LIMIT :limit OFFSET :offset
            """)
        .param("a", address)
        .param("limit", limit)
        .param("offset", offset)
        .query(
            (rs, n) ->
                new AuditEntry(
                    rs.getLong("id"),
                    rs.getString("user_address"),
                    rs.getString("record"),
                    rs.getString("actor"),
                    rs.getString("cause"),
                    rs.getString("before"),
                    rs.getString("after"),
                    instant(rs, "changed_at")))
        .list();
  }

  private static UserState state(ResultSet rs, int n) throws SQLException {
    long block = rs.getLong("last_seen_block");
    Long lastSeenBlock = rs.wasNull() ? null : block;
    return new UserState(
        rs.getString("user_address"),
        rs.getString("state"),
        strings(rs.getArray("bound_addresses")),
        instant(rs, "first_seen_at"),
        instant(rs, "last_activity_at"),
        lastSeenBlock,
        rs.getLong("rbtc_sats"),
        decimal(rs.getBigDecimal("wrbtc")),
        decimal(rs.getBigDecimal("fee_vault_wei")),
        rs.getString("sync_status"),
        instant(rs, "last_sync_operation_at"),
        instant(rs, "last_sync_confirmed_at"),
        instant(rs, "last_verified_at"),
        rs.getBoolean("at_risk"),
        decimal(rs.getBigDecimal("risk_required_fee_wei")),
        rs.getString("yield_tier"),
        decimal(rs.getBigDecimal("yield_accrued")),
        rs.getBoolean("yield_registered"));
  }

  private static List<String> strings(Array array) throws SQLException {
    return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
  }

  private static String decimal(BigDecimal value) {
    return value == null ? null : value.toBigIntegerExact().toString();
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
    return time == null ? null : time.toInstant();
  }
}
