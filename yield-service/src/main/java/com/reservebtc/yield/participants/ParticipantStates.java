package com.reservebtc.yield.participants;

import com.reservebtc.chainconsumer.Outbox;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.LoyaltyTier;
import com.reservebtc.schemas.avro.YieldParticipantState;
import com.reservebtc.yield.pool.PoolContributionRepository;
import com.reservebtc.yield.pool.PoolStatus;
import com.reservebtc.yield.scales.LoyaltyTiers;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Publishes participant states ({@code rbtc.yield.participants.v1}) through the chain-consumer's
 * outbox, in the transaction of the change: of the participant's chain events (the projection), of
 * its registration (the registrar) or of what the pool holds for it (the reconciler). Each record
 * is the whole state, so a reader keeps the latest per user.
 */
@Component
public class ParticipantStates {

  private final JdbcClient jdbc;
  private final Outbox outbox;
  private final PoolContributionRepository pool;

  ParticipantStates(JdbcClient jdbc, Outbox outbox, PoolContributionRepository pool) {
    this.jdbc = jdbc;
    this.outbox = outbox;
    this.pool = pool;
  }

  /**
   * Takes the ledger lock for the rest of the caller's transaction (see {@link LedgerLock}). A
   * transaction that changes a row a state is made of (a registration, a pool check) and then
   * {@link #publish}es calls this first, so that it and the projection lock in one order.
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public void lockForPublication() {
    LedgerLock.hold(jdbc);
  }

  /**
   * The states of {@code users} as stored now (users that are no participant are skipped), under
   * the ledger lock: a batch that changes one of them either committed before or publishes after.
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public void publish(Collection<String> users) {
    if (users.isEmpty()) {
      return;
    }
    LedgerLock.hold(jdbc);
    List<Participant> found =
        List.copyOf(new LedgerRepository(jdbc).participants(List.copyOf(users)).values());
    changed(found, List.of());
  }

  /** States after a batch: {@code changed} as they are now, {@code gone} as no participant. */
  void changed(List<Participant> changed, List<Participant> gone) {
    if (changed.isEmpty() && gone.isEmpty()) {
      return;
    }
    List<String> users = changed.stream().map(Participant::user).toList();
    Map<String, String> registrations = registrationStatuses(users);
    Map<String, PoolStatus> pools = pool.statuses(users);
    for (Participant p : changed) {
      String registration =
          p.registeredOnChain() ? "REGISTERED" : registrations.getOrDefault(p.user(), "OFF_CHAIN");
      outbox.add(Topics.YIELD_PARTICIPANTS, p.user(), state(p, registration, pools.get(p.user())));
    }
    for (Participant p : gone) {
      YieldParticipantState state =
          YieldParticipantState.newBuilder(state(p, "GONE", null))
              .setEligible(false)
              .setRegisteredOnChain(false)
              .setContributionSats(0)
              .setRbtcBalanceSats(0L)
              .setAccruedYield("0")
              .build();
      outbox.add(Topics.YIELD_PARTICIPANTS, p.user(), state);
    }
  }

  static YieldParticipantState state(Participant p, String registration, PoolStatus pool) {
    LoyaltyTier tier = LoyaltyTiers.tierAt(Math.max(0, p.lastEventAt() - p.joinedAt()));
    return YieldParticipantState.newBuilder()
        .setUser(p.user())
        .setParticipantType(p.participantType())
        .setEligible(p.eligible())
        .setRegisteredOnChain(p.registeredOnChain())
        .setTier(tier)
        .setContributionSats(p.contributionSats())
        .setAccruedYield(p.accruedYield().toString())
        .setJoinedAtMillis(p.joinedAt() * 1000)
        .setUpdatedAtMillis(p.lastEventAt() * 1000)
        .setRegistrationStatus(registration)
        .setRbtcBalanceSats(p.rbtcBalanceSats())
        .setPoolInStep(pool == null ? null : pool.inStep())
        .setPoolContributionSats(
            pool == null || pool.onChainSats() == null ? null : pool.onChainSats().toString())
        .setPoolDesiredSats(pool == null ? null : pool.desiredSats())
        .setPoolPendingCall(pool == null ? null : pool.pendingCall())
        .setPoolCheckedAtMillis(
            pool == null || pool.checkedAt() == null ? null : pool.checkedAt().toEpochMilli())
        .build();
  }

  private Map<String, String> registrationStatuses(List<String> users) {
    Map<String, String> statuses = new HashMap<>();
    if (users.isEmpty()) {
      return statuses;
    }
    jdbc.sql("select user_address, status from pool_registrations where user_address = any(:users)")
        .param("users", users.toArray(String[]::new))
        .query(
            (org.springframework.jdbc.core.RowCallbackHandler)
                rs -> statuses.put(rs.getString(1), rs.getString(2)));
    return statuses;
  }
}
