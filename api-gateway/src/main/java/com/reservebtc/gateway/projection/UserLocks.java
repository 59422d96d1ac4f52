package com.reservebtc.gateway.projection;

import java.util.Collection;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Serializes batches that touch the same users: transaction-scoped advisory locks on the users'
 * addresses (hashed; a collision only makes two users wait for each other), taken in key order so
 * that two batches never wait for each other in a circle. Held until the batch commits.
 */
@Component
class UserLocks {

  /** The first key of the two-key advisory locks: this lock's own space. */
  private static final int USER_LOCKS = 0x52425455;

  private final JdbcClient jdbc;

  UserLocks(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void lock(Collection<String> users) {
    if (users.isEmpty()) {
      return;
    }
    // Volatile functions of the select list are evaluated after ORDER BY, so the locks are taken
    // in key order.
    jdbc.sql(
            """
            SELECT pg_advisory_xact_lock(:space, k)
            FROM (SELECT DISTINCT hashtext(u) AS k FROM unnest(:users::text[]) AS x(u)) keys
            ORDER BY k
            """)
        .param("space", USER_LOCKS)
        .param("users", users.toArray(String[]::new))
        .query((rs, n) -> n)
        .list();
  }
}
