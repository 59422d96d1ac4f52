package com.reservebtc.yield.pool;

import com.reservebtc.txsender.SentTx;
import com.reservebtc.yield.participants.ParticipantStates;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** The {@code pool_contributions} table, and what it needs of the participants and their log. */
@Repository
public class PoolContributionRepository {

  private final JdbcClient jdbc;
  private final ObjectProvider<ParticipantStates> states;

  PoolContributionRepository(JdbcClient jdbc, ObjectProvider<ParticipantStates> states) {
    this.jdbc = jdbc;
    this.states = states;
  }

  /**
   * A registered holder to look at.
   *
   * @param desiredSats the holder's contribution in this service's state
   * @param burnEventId the latest canonical aggregator emergency burn of the holder since they
   *     joined the pool (a retracted one is no longer in the ledger), or null
   * @param handledBurnEventId the aggregator burn the pool was last told of, or null
   */
  record Candidate(String user, long desiredSats, String burnEventId, String handledBurnEventId) {

    boolean burnDue() {
      return burnEventId != null && !burnEventId.equals(handledBurnEventId);
    }

    Candidate burnHandled() {
      return new Candidate(user, desiredSats, burnEventId, burnEventId);
    }
  }

  /** A pool transaction recorded before broadcast and not yet resolved. */
  record InFlight(String user, BigInteger amount, List<String> hashes, String burnEventId) {}

  /**
   * Registered holders with no transaction in flight whose state changed since they were last
   * checked, who were out of step, who have an aggregator burn the pool was not told of, or who
   * were last checked longer than {@code recheckAfter} ago; least recently checked first.
   */
  List<Candidate> candidates(int limit, Duration recheckAfter) {
    return jdbc.sql(
            """
            select p.user_address, p.contribution_sats, b.event_id as burn_event_id,
                   c.burn_event_id as handled_burn_event_id
            from yield_scales_participants p
            left join pool_contributions c on c.user_address = p.user_address
            left join lateral (
              select l.event_id from yield_ledger l
              where l.user_address = p.user_address and l.kind = 'AGGREGATOR_BURN'
                and l.block_time >= p.joined_at
              order by l.chain_id desc, l.block_number desc, l.log_index desc, l.event_id desc
              limit 1) b on true
            where p.participant_type = 0 and p.registered_on_chain
              and (c.user_address is null
                   or (c.tx_hashes is null
                       and (c.desired_sats <> p.contribution_sats or not c.in_step
                            or c.checked_at < now() - make_interval(secs => :recheck)
                            or (b.event_id is not null
                                and b.event_id is distinct from c.burn_event_id))))
            order by c.checked_at nulls first, p.user_address
            limit :limit
            """)
        .param("recheck", (double) recheckAfter.toMillis() / 1000)
        .param("limit", limit)
        .query(
            (rs, n) ->
                new Candidate(
                    rs.getString("user_address"),
                    rs.getLong("contribution_sats"),
                    rs.getString("burn_event_id"),
                    rs.getString("handled_burn_event_id")))
        .list();
  }

  List<InFlight> inFlight() {
    return jdbc.sql(
            """
            select user_address, tx_amount, tx_hashes, tx_burn_event_id
            from pool_contributions where tx_hashes is not null order by tx_submitted_at
            """)
        .query(
            (rs, n) ->
                new InFlight(
                    rs.getString("user_address"),
                    rs.getBigDecimal("tx_amount").toBigIntegerExact(),
                    strings(rs.getArray("tx_hashes")),
                    rs.getString("tx_burn_event_id")))
        .list();
  }

  /**
   * Records what the pool holds for the holder and, when out of step, the call that would fix it.
   *
   * @return the pending call recorded before (to log a change once)
   */
  @Transactional
  Optional<String> checked(
      String user, long desiredSats, BigInteger onChain, PoolCall pending, String error) {
    // The lock before the row lock below: a change of it may publish the participant's state.
    states.getObject().lockForPublication();
    Optional<Seen> before =
        jdbc.sql(
                """
                select pending_call, in_step, on_chain_sats, desired_sats from pool_contributions
                where user_address = ? for update
                """)
            .param(user)
            .query(
                (rs, n) ->
                    new Seen(
                        rs.getString(1),
                        rs.getBoolean(2),
                        rs.getBigDecimal(3) == null
                            ? null
                            : rs.getBigDecimal(3).toBigIntegerExact(),
                        rs.getLong(4)))
            .optional();
    boolean inStep = pending == null && error == null;
    jdbc.sql(
            """
            insert into pool_contributions (user_address, desired_sats, on_chain_sats, in_step,
              pending_call, last_error, out_of_step_since, checked_at)
            values (:user, :desired, :onChain, :inStep, :call, :error,
                    case when :inStep then null else now() end, now())
            on conflict (user_address) do update set
              desired_sats = excluded.desired_sats, on_chain_sats = excluded.on_chain_sats,
              in_step = excluded.in_step, pending_call = excluded.pending_call,
              last_error = excluded.last_error,
              out_of_step_since = case when excluded.in_step then null
                                  else coalesce(pool_contributions.out_of_step_since, now()) end,
              checked_at = now()
            """)
        .param("user", user)
        .param("desired", desiredSats)
        .param("onChain", onChain == null ? null : new BigDecimal(onChain))
        .param("inStep", inStep)
        .param("call", pending == null ? null : pending.text())
        .param("error", error)
        .update();
    Seen now = new Seen(pending == null ? null : pending.text(), inStep, onChain, desiredSats);
    if (before.isEmpty() || !before.get().equals(now)) {
      // What the pool holds is part of the participant's published state.
      states.getObject().publish(List.of(user));
    }
    return before.map(Seen::pendingCall);
  }

  private record Seen(String pendingCall, boolean inStep, BigInteger onChain, long desired) {}

  /** The pool was told of (or had nothing left to remove for) the aggregator burn. */
  void burnHandled(String user, String burnEventId) {
    jdbc.sql("update pool_contributions set burn_event_id = ? where user_address = ?")
        .params(burnEventId, user)
        .update();
  }

  /** A version of the pool transaction for the holder, recorded before it is broadcast. */
  void sending(String user, SentTx tx, PoolCall call) {
    jdbc.sql(
            """
            update pool_contributions set tx_hashes = :hashes, tx_nonce = :nonce, tx_call = :call,
              tx_amount = :amount, tx_burn_event_id = :burn,
              tx_submitted_at = coalesce(tx_submitted_at, now())
            where user_address = :user
            """)
        .param("hashes", tx.hashes().toArray(String[]::new))
        .param("nonce", tx.nonce())
        .param("call", call.text())
        .param(
            "amount",
            new BigDecimal(
                call instanceof PoolCall.EmergencyBurn burn
                    ? burn.amount()
                    : BigInteger.valueOf(((PoolCall.Update) call).amount())))
        .param("burn", call instanceof PoolCall.EmergencyBurn b ? b.burnEventId() : null)
        .param("user", user)
        .update();
  }

  /**
   * The transaction in flight is resolved: mined ({@code minedHash}, and {@code burnEventId} if it
   * told the pool of that burn) or not ({@code error}).
   */
  @Transactional
  void settled(String user, String minedHash, String burnEventId, String error) {
    jdbc.sql(
            """
            update pool_contributions set tx_hashes = null, tx_nonce = null, tx_call = null,
              tx_amount = null, tx_burn_event_id = null, tx_submitted_at = null,
              last_tx_hash = coalesce(:mined, last_tx_hash),
              burn_event_id = coalesce(:burn, burn_event_id), last_error = :error
            where user_address = :user
            """)
        .param("mined", minedHash)
        .param("burn", burnEventId)
        .param("error", error)
        .param("user", user)
        .update();
  }

  void audit(String user, String operation, String details) {
    jdbc.sql(
            """
            insert into yield_operations_log (user_address, operation, details, occurred_at)
            values (?, ?, ?, now())
            """)
        .params(user, operation, details)
        .update();
  }

  public Optional<PoolStatus> status(String user) {
    return Optional.ofNullable(statuses(List.of(user)).get(user));
  }

  /** The pool statuses of those of {@code users} that were checked. */
  public Map<String, PoolStatus> statuses(Collection<String> users) {
    Map<String, PoolStatus> found = new HashMap<>();
    if (users.isEmpty()) {
      return found;
    }
    jdbc.sql(
            """
            select user_address, in_step, desired_sats, on_chain_sats, pending_call,
              out_of_step_since, checked_at,
              coalesce(tx_hashes[array_length(tx_hashes, 1)], last_tx_hash) as tx_hash, last_error
            from pool_contributions where user_address = any(:users)
            """)
        .param("users", users.toArray(String[]::new))
        .query(
            (org.springframework.jdbc.core.RowCallbackHandler)
                rs -> found.put(rs.getString("user_address"), status(rs, 0)));
    return found;
  }

  private static PoolStatus status(ResultSet rs, int row) throws SQLException {
    BigDecimal onChain = rs.getBigDecimal("on_chain_sats");
    return new PoolStatus(
        rs.getBoolean("in_step"),
        rs.getLong("desired_sats"),
        onChain == null ? null : onChain.toBigIntegerExact(),
        rs.getString("pending_call"),
        instant(rs.getTimestamp("out_of_step_since")),
        instant(rs.getTimestamp("checked_at")),
        rs.getString("tx_hash"),
        rs.getString("last_error"));
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }

  private static List<String> strings(Array array) throws SQLException {
    return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
  }
}
