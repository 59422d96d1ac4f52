package com.reservebtc.gateway.projection;

import java.time.Instant;
import java.util.Collection;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Maintains {@code users} and its audit trail for the users a batch touched, in the batch's
 * transaction, with one statement for the whole batch.
 *
 * <p>Guarantees: a user's row is a function of the read models it is derived from ({@code
 * transactions}, {@code bitcoin_addresses}, {@code emergency_risk}) as they stand after the batch:
 * first/last seen and the state follow a retraction exactly as they follow an application, and a
 * user with no log and no binding left has no row. A user whose logs the batch only added to is
 * moved forward from their row and the batch's logs (the set only grew); one who lost a log
 * (retracted, or moved to another block), lost a Bitcoin address to another owner, or has no row
 * yet is recomputed from the tables. Every change of a row (created, changed, removed) writes one
 * {@code user_audit} entry with the row before and after and the record that caused it; a refresh
 * that changes nothing writes nothing, so a redelivery leaves no trace. The caller holds the users'
 * locks ({@link UserLocks}), so no other batch changes their inputs between the computation and the
 * write.
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
   * What a batch did to one user.
   *
   * @param user the user's address
   * @param cause the last record of the batch that concerned them
   * @param recompute whether something of theirs was removed (their row is recomputed)
   * @param firstApplied block time of the earliest of their logs the batch applied, or null
   * @param lastApplied block time of the latest of them, or null
   * @param lastBlock the highest block of them, or null
   */
  record Touch(
      String user,
      String cause,
      boolean recompute,
      Instant firstApplied,
      Instant lastApplied,
      Long lastBlock) {}

  /** Brings the rows of the touched users up to date; returns how many rows changed. */
  int refresh(Collection<Touch> touches) {
    if (touches.isEmpty()) {
      return 0;
    }
    return jdbc.sql(
            """
            WITH touched AS (
                SELECT * FROM unnest(:users::text[], :causes::text[], :recompute::boolean[],
                    :firsts::text[]::timestamptz[], :lasts::text[]::timestamptz[], :blocks::bigint[])
                    AS t(u, cause, recompute, batch_first, batch_last, batch_block)
            ),
            old AS (
                SELECT u.* FROM users u JOIN touched t ON u.user_address = t.u
            ),
            inputs AS (
                SELECT t.*, o.user_address IS NULL OR t.recompute AS full_scan,
                       o.first_seen_at AS old_first, o.last_seen_at AS old_last,
                       o.last_seen_block AS old_block
                FROM touched t LEFT JOIN old o ON o.user_address = t.u
            ),
            computed AS (
                SELECT i.u AS user_address, i.cause,
                       CASE WHEN i.full_scan
                            THEN least(own_first.ts, other_first.ts, bound.first_at)
                            ELSE least(i.old_first, i.batch_first, bound.first_at) END
                           AS first_seen_at,
                       CASE WHEN i.full_scan
                            THEN greatest(own_last.ts, other_last.ts, bound.last_at)
                            ELSE greatest(i.old_last, i.batch_last, bound.last_at) END
                           AS last_seen_at,
                       CASE WHEN i.full_scan THEN greatest(own_last.block, other_last.block)
                            ELSE greatest(i.old_block, i.batch_block) END AS last_seen_block,
                       coalesce(bound.monitored, '{}') AS bound_addresses,
                       CASE WHEN coalesce(risk.at_risk, false) THEN 'AT_RISK'
                            WHEN cardinality(bound.monitored) > 0 THEN 'BOUND'
                            ELSE 'SEEN' END AS state
                FROM inputs i
                -- the scans of the user's logs run only for users recomputed in full
                LEFT JOIN LATERAL (
                    SELECT block_timestamp AS ts FROM transactions
                    WHERE i.full_scan AND user_address = i.u AND listed
                    ORDER BY block_number, log_index LIMIT 1) own_first ON true
                LEFT JOIN LATERAL (
                    SELECT block_timestamp AS ts, block_number AS block FROM transactions
                    WHERE i.full_scan AND user_address = i.u AND listed
                    ORDER BY block_number DESC, log_index DESC LIMIT 1) own_last ON true
                LEFT JOIN LATERAL (
                    SELECT block_timestamp AS ts FROM transactions
                    WHERE i.full_scan AND counterparty = i.u AND listed
                    ORDER BY block_number, log_index LIMIT 1) other_first ON true
                LEFT JOIN LATERAL (
                    SELECT block_timestamp AS ts, block_number AS block FROM transactions
                    WHERE i.full_scan AND counterparty = i.u AND listed
                    ORDER BY block_number DESC, log_index DESC LIMIT 1) other_last ON true
                LEFT JOIN LATERAL (
                    SELECT min(created_at) AS first_at,
                           max(greatest(created_at, verified_at,
                               to_timestamp(event_millis / 1000.0))) AS last_at,
                           array_agg(bitcoin_address ORDER BY bitcoin_address)
                               FILTER (WHERE is_monitoring) AS monitored
                    FROM bitcoin_addresses WHERE eth_address = i.u) bound ON true
                LEFT JOIN emergency_risk risk ON risk.user_address = i.u
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
        .param("users", touches.stream().map(Touch::user).toArray(String[]::new))
        .param("causes", touches.stream().map(Touch::cause).toArray(String[]::new))
        .param("recompute", touches.stream().map(Touch::recompute).toArray(Boolean[]::new))
        .param("firsts", touches.stream().map(t -> text(t.firstApplied())).toArray(String[]::new))
        .param("lasts", touches.stream().map(t -> text(t.lastApplied())).toArray(String[]::new))
        .param("blocks", touches.stream().map(Touch::lastBlock).toArray(Long[]::new))
        .param("actor", PROJECTION)
        .update();
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
