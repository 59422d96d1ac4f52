package com.reservebtc.yield.participants;

import com.reservebtc.yield.registration.Registrations;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Queues Bitcoin holders for {@code joinAsBitcoinHolder} once they hold rBTC-SYNTH and are not
 * registered on chain, when this service registers holders itself. A holder is queued once: an
 * existing row of {@code pool_registrations} (pending, sent, failed) is left as it is.
 */
@Component
class RegistrationQueue {

  private final JdbcClient jdbc;
  private final Registrations registrations;

  RegistrationQueue(JdbcClient jdbc, Registrations registrations) {
    this.jdbc = jdbc;
    this.registrations = registrations;
  }

  void queueEligible(List<Participant> changed) {
    if (!registrations.automatic()) {
      return;
    }
    String[] users =
        changed.stream()
            .filter(
                p ->
                    p.eligible()
                        && p.participantType() == Participant.BITCOIN_HOLDER
                        && !p.registeredOnChain())
            .map(Participant::user)
            .toArray(String[]::new);
    if (users.length == 0) {
      return;
    }
    jdbc.sql(
            """
            with queued as (
              insert into pool_registrations (user_address, status)
              select unnest(:users::text[]), 'PENDING'
              on conflict (user_address) do nothing
              returning user_address)
            insert into yield_operations_log (user_address, operation, details, occurred_at)
            select user_address, 'REGISTRATION_QUEUED', 'eligible holder not registered in the pool',
              now()
            from queued
            """)
        .param("users", users)
        .update();
  }
}
