package com.reservebtc.gateway.projection;

import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Maintains {@code users} and its audit trail for the users a batch touched, in the batch's
 * transaction, with one statement for the whole batch.
 *
 * <p>Guarantees: a user's row is a function of the read models it is derived from ({@code
 * transactions}, {@code bitcoin_addresses}, {@code emergency_risk}) as they stand after the batch:
 * first/last seen and the state follow a retraction exactly as they follow an application, and a
 * user with no log and no binding left has no row. Every change of a row (created, changed,
 * removed) writes one {@code user_audit} entry with the row before and after and the record that
 * caused it; a refresh that changes nothing writes nothing, so a redelivery leaves no trace. The
 * caller holds the users' locks ({@link UserLocks}), so no other batch changes their inputs between
 * the computation and the write.
 */
@Component
class UserRecords {

  /** Who changes users rows on behalf of the consumed records. */
  static final String PROJECTION = "projection";

  private final JdbcClient jdbc;

  UserRecords(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Recomputes the rows of {@code causes}' users; each user's cause names the last record of the
   * batch that concerned them. Returns how many rows changed.
   */
  int refresh(Map<String, String> causes) {
    if (causes.isEmpty()) {
      return 0;
    }
    return jdbc.sql(
            """
            WITH touched AS (
                SELECT * FROM unnest(:users::text[], :causes::text[]) AS t(u, cause)
            ),
            computed AS (
                SELECT t.u AS user_address, t.cause,
                       least(own_first.ts, other_first.ts, bound.first_at) AS first_seen_at,
                       greatest(own_last.ts, other_last.ts, bound.last_at) AS last_seen_at,
                       greatest(own_last.block, other_last.block) AS last_seen_block,
                       coalesce(bound.monitored, '{}') AS bound_addresses,
                       CASE WHEN coalesce(risk.at_risk, false) THEN 'AT_RISK'
                            WHEN cardinality(bound.monitored) > 0 THEN 'BOUND'
                            ELSE 'SEEN' END AS state
                FROM touched t
                LEFT JOIN LATERAL (
                    SELECT block_timestamp AS ts FROM transactions
                    WHERE user_address = t.u AND listed
                    ORDER BY block_number, log_index LIMIT 1) own_first ON true
                LEFT JOIN LATERAL (
                    SELECT block_timestamp AS ts, block_number AS block FROM transactions
                    WHERE user_address = t.u AND listed
                    ORDER BY block_number DESC, log_index DESC LIMIT 1) own_last ON true
                LEFT JOIN LATERAL (
                    SELECT block_timestamp AS ts FROM transactions
                    WHERE counterparty = t.u AND listed
                    ORDER BY block_number, log_index LIMIT 1) other_first ON true
                LEFT JOIN LATERAL (
                    SELECT block_timestamp AS ts, block_number AS block FROM transactions
                    WHERE counterparty = t.u AND listed
                    ORDER BY block_number DESC, log_index DESC LIMIT 1) other_last ON true
                LEFT JOIN LATERAL (
                    SELECT min(created_at) AS first_at,
                           max(greatest(created_at, verified_at,
                               to_timestamp(event_millis / 1000.0))) AS last_at,
                           array_agg(bitcoin_address ORDER BY bitcoin_address)
                               FILTER (WHERE is_monitoring) AS monitored
                    FROM bitcoin_addresses WHERE eth_address = t.u) bound ON true
                LEFT JOIN emergency_risk risk ON risk.user_address = t.u
            ),
            old AS (
                SELECT u.* FROM users u JOIN touched t ON u.user_address = t.u
            ),
            written AS (
                INSERT INTO users AS u (user_address, first_seen_at, last_seen_at,
                    last_seen_block, bound_addresses, state, updated_at)
                SELECT user_address, first_seen_at, last_seen_at, last_seen_block,
                       bound_addresses, state, now()
                FROM computed WHERE first_seen_at IS NOT NULL
                ON CONFLICT (user_address) DO UPDATE SET
                    first_seen_at = EXCLUDED.first_seen_at, last_seen_at = EXCLUDED.last_seen_at,
                    last_seen_block = EXCLUDED.last_seen_block,
                    bound_addresses = EXCLUDED.bound_addresses, state = EXCLUDED.state,
                    updated_at = now()
                WHERE (u.first_seen_at, u.last_seen_at, u.last_seen_block, u.bound_addresses,
                       u.state)
                    IS DISTINCT FROM
                      (EXCLUDED.first_seen_at, EXCLUDED.last_seen_at, EXCLUDED.last_seen_block,
                       EXCLUDED.bound_addresses, EXCLUDED.state)
                RETURNING u.*
            ),
            removed AS (
                DELETE FROM users u USING computed c
                WHERE u.user_address = c.user_address AND c.first_seen_at IS NULL
                RETURNING u.*
            ),
            changes AS (
                SELECT w.user_address, to_jsonb(o) - 'updated_at' AS before,
                       to_jsonb(w) - 'updated_at' AS after
                FROM written w LEFT JOIN old o ON o.user_address = w.user_address
                UNION ALL
                SELECT r.user_address, to_jsonb(r) - 'updated_at', NULL FROM removed r
            )
            INSERT INTO user_audit (user_address, record, actor, cause, before, after)
            SELECT ch.user_address, 'user', :actor, c.cause, ch.before, ch.after
            FROM changes ch JOIN computed c ON c.user_address = ch.user_address
            ORDER BY ch.user_address
            """)
        .param("users", causes.keySet().toArray(String[]::new))
        .param("causes", causes.values().toArray(String[]::new))
        .param("actor", PROJECTION)
        .update();
  }
}
