package com.reservebtc.yield.registration;

import com.reservebtc.yield.participants.ParticipantStates;
import java.time.Duration;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code pool_registrations} and their audit rows. Every update is guarded by the status it
 * expects; a participant whose ParticipantJoined event is indexed counts as registered whatever its
 * row here says. Each change of a status publishes the participant's state in its transaction.
 */
@Repository
class RegistrationRepository {

  private final JdbcClient jdbc;
  private final ParticipantStates states;

  RegistrationRepository(JdbcClient jdbc, ParticipantStates states) {
    this.jdbc = jdbc;
    this.states = states;
  }

  /** Moves up to {@code limit} queued (or stale) registrations to SUBMITTING and returns them. */
  @Transactional
  List<String> claimPending(int limit, Duration staleAfter) {
    states.lockForPublication();
    List<String> users =
        jdbc.sql(
                """
                update pool_registrations set status = 'SUBMITTING', attempts = attempts + 1,
                  updated_at = now()
                where user_address in (
                  select user_address from pool_registrations
                  where status = 'PENDING'
                     or (status = 'SUBMITTING' and updated_at < now() - make_interval(secs => ?))
                  order by updated_at limit ? for update skip locked)
                returning user_address
                """)
            .params(staleAfter.toSeconds(), limit)
            .query(String.class)
            .list();
    states.publish(users);
    return users;
  }

  /** Records a version of the join transaction before it is broadcast. */
  @Transactional
  void sending(String user, String txHash) {
    jdbc.sql(
            """
            update pool_registrations set tx_hash = ?, updated_at = now()
            where user_address = ? and status = 'SUBMITTING'
            """)
        .params(txHash, user)
        .update();
  }

  @Transactional
  void submitted(String user, String txHash) {
    states.lockForPublication();
    int updated =
        jdbc.sql(
                """
                update pool_registrations set status = 'SUBMITTED', tx_hash = ?, error = null,
                  updated_at = now()
                where user_address = ? and status = 'SUBMITTING'
                """)
            .params(txHash, user)
            .update();
    audit(
        user,
        "REGISTRATION_SUBMITTED",
        "tx " + txHash + (updated == 0 ? " (already settled)" : ""));
    states.publish(List.of(user));
  }

  /** Returns the status the registration was left in. */
  @Transactional
  String failed(String user, String error, boolean retry, int maxAttempts) {
    states.lockForPublication();
    String status =
        jdbc.sql(
                """
                update pool_registrations set
                  status = case when ? and attempts < ? then 'PENDING' else 'FAILED' end,
                  error = ?, updated_at = now()
                where user_address = ? and status = 'SUBMITTING'
                returning status
                """)
            .params(retry, maxAttempts, error, user)
            .query(String.class)
            .optional()
            .orElse("UNCHANGED");
    audit(user, "REGISTRATION_FAILED", status + ": " + error);
    states.publish(List.of(user));
    return status;
  }

  private void audit(String user, String operation, String details) {
    jdbc.sql(
            """
            insert into yield_operations_log (user_address, operation, details, occurred_at)
            values (?, ?, ?, now())
            """)
        .params(user, operation, details)
        .update();
  }
}
