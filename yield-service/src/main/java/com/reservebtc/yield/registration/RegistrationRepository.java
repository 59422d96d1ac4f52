package com.reservebtc.yield.registration;

import java.time.Duration;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Registration columns of {@code yield_scales_participants} and their audit rows. Every update is
 * guarded by the status it expects, so a ParticipantJoined event that arrived meanwhile (status
 * REGISTERED) is never overwritten.
 */
@Repository
class RegistrationRepository {

  private final JdbcClient jdbc;

  RegistrationRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Moves up to {@code limit} queued (or stale) registrations to SUBMITTING and returns them. */
  @Transactional
  List<String> claimPending(int limit, Duration staleAfter) {
    return jdbc.sql(
            """
            update yield_scales_participants set registration_status = 'SUBMITTING',
              registration_attempts = registration_attempts + 1, updated_at = now()
            where user_address in (
              select user_address from yield_scales_participants
              where registration_status = 'PENDING'
                 or (registration_status = 'SUBMITTING'
                     and updated_at < now() - make_interval(secs => ?))
              order by updated_at limit ? for update skip locked)
            returning user_address
            """)
        .params(staleAfter.toSeconds(), limit)
        .query(String.class)
        .list();
  }

  /** Records a version of the join transaction before it is broadcast. */
  @Transactional
  void sending(String user, String txHash) {
    jdbc.sql(
            """
            update yield_scales_participants set registration_tx_hash = ?, updated_at = now()
            where user_address = ? and registration_status = 'SUBMITTING'
            """)
        .params(txHash, user)
        .update();
  }

  @Transactional
  void submitted(String user, String txHash) {
    int updated =
        jdbc.sql(
                """
                update yield_scales_participants set registration_status = 'SUBMITTED',
                  registration_tx_hash = ?, registration_error = null, updated_at = now()
                where user_address = ? and registration_status = 'SUBMITTING'
                """)
            .params(txHash, user)
            .update();
    audit(
        user,
        "REGISTRATION_SUBMITTED",
        "tx " + txHash + (updated == 0 ? " (already settled)" : ""));
  }

  /** Returns the status the registration was left in. */
  @Transactional
  String failed(String user, String error, boolean retry, int maxAttempts) {
    String status =
        jdbc.sql(
                """
                update yield_scales_participants set
                  registration_status = case when ? and registration_attempts < ? then 'PENDING'
                                             else 'FAILED' end,
                  registration_error = ?, updated_at = now()
                where user_address = ? and registration_status = 'SUBMITTING'
                returning registration_status
                """)
            .params(retry, maxAttempts, error, user)
            .query(String.class)
            .optional()
            .orElse("UNCHANGED");
    audit(user, "REGISTRATION_FAILED", status + ": " + error);
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
