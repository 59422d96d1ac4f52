package com.reservebtc.gateway.projection;

import com.reservebtc.gateway.api.LoyaltyTiers;
import com.reservebtc.gateway.api.YieldPoolJson;
import com.reservebtc.gateway.stream.StreamEvent;
import com.reservebtc.schemas.avro.YieldParticipantState;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps the yield service's latest state of each participant in {@code yield_scales_participants}
 * and pushes the {@code yield} stream event when it changes.
 *
 * <p>The records are snapshots published in the order the yield service applied its changes (one
 * partition per user), so the latest record in topic order is the state: replaying any suffix of
 * the topic ends in the same row. The inbox (id = hash of the record) makes a state delivered or
 * published twice push one event. States carry no retraction: the yield service undoes a retracted
 * chain event and publishes the resulting state.
 */
@Component
class YieldParticipantProjector {

  private final Inbox inbox;
  private final JdbcClient jdbc;
  private final CommittedChanges changes;
  private final Clock clock;

  YieldParticipantProjector(Inbox inbox, JdbcClient jdbc, CommittedChanges changes, Clock clock) {
    this.inbox = inbox;
    this.jdbc = jdbc;
    this.changes = changes;
    this.clock = clock;
  }

  Outcome project(String topic, YieldParticipantState state) {
    String user = ChainEventMapper.address(state.getUser(), "user");
    int type = state.getParticipantType();
    if (type != 0 && type != 1) {
      throw new InvalidRecordException("participant " + user + " has unknown type " + type);
    }
    BigInteger accrued;
    try {
      accrued = new BigInteger(state.getAccruedYield());
    } catch (NumberFormatException | NullPointerException e) {
      throw new InvalidRecordException(
          "participant "
              + user
              + " accruedYield is not a decimal integer: "
              + state.getAccruedYield());
    }
    Instant joined = Instant.ofEpochMilli(state.getJoinedAtMillis());
    Instant updated = Instant.ofEpochMilli(state.getUpdatedAtMillis());
    BigDecimal poolContribution;
    try {
      poolContribution =
          state.getPoolContributionSats() == null
              ? null
              : new BigDecimal(new BigInteger(state.getPoolContributionSats()));
    } catch (NumberFormatException e) {
      throw new InvalidRecordException(
          "participant "
              + user
              + " poolContributionSats is not a decimal integer: "
              + state.getPoolContributionSats());
    }
    Instant poolCheckedAt =
        state.getPoolCheckedAtMillis() == null
            ? null
            : Instant.ofEpochMilli(state.getPoolCheckedAtMillis());
    YieldPoolJson pool =
        YieldPoolJson.of(
            state.getRegistrationStatus(),
            state.getRbtcBalanceSats(),
            state.getPoolInStep(),
            poolContribution == null ? null : poolContribution.toBigInteger().toString(),
            state.getPoolDesiredSats(),
            state.getPoolPendingCall(),
            poolCheckedAt);
    boolean fresh = inbox.claim(ContentIds.of("yield-state", state), topic);
    int changed =
        jdbc.sql(
                """
                INSERT INTO yield_scales_participants AS p (user_address, participant_type,
                    eligible, registered_on_chain, tier, contribution_sats, accrued_yield,
                    joined_at, updated_at, registration_status, rbtc_balance_sats, pool_in_step,
                    pool_contribution_sats, pool_desired_sats, pool_pending_call,
                    pool_checked_at)
                VALUES (:user, :type, :eligible, :registered, :tier, :contribution, :accrued,
                    :joined, :updated, :registrationStatus, :rbtcBalance, :poolInStep,
                    :poolContribution, :poolDesired, :poolPendingCall, :poolCheckedAt)
                ON CONFLICT (user_address) DO UPDATE SET
                    participant_type = EXCLUDED.participant_type, eligible = EXCLUDED.eligible,
                    registered_on_chain = EXCLUDED.registered_on_chain, tier = EXCLUDED.tier,
                    contribution_sats = EXCLUDED.contribution_sats,
                    accrued_yield = EXCLUDED.accrued_yield, joined_at = EXCLUDED.joined_at,
                    updated_at = EXCLUDED.updated_at,
                    registration_status = EXCLUDED.registration_status,
                    rbtc_balance_sats = EXCLUDED.rbtc_balance_sats,
                    pool_in_step = EXCLUDED.pool_in_step,
                    pool_contribution_sats = EXCLUDED.pool_contribution_sats,
                    pool_desired_sats = EXCLUDED.pool_desired_sats,
                    pool_pending_call = EXCLUDED.pool_pending_call,
                    pool_checked_at = EXCLUDED.pool_checked_at, projected_at = now()
                WHERE (p.participant_type, p.eligible, p.registered_on_chain, p.tier,
                        p.contribution_sats, p.accrued_yield, p.joined_at, p.updated_at,
                        p.registration_status, p.rbtc_balance_sats, p.pool_in_step,
                        p.pool_contribution_sats, p.pool_desired_sats, p.pool_pending_call,
                        p.pool_checked_at)
                    IS DISTINCT FROM (EXCLUDED.participant_type, EXCLUDED.eligible,
                        EXCLUDED.registered_on_chain, EXCLUDED.tier, EXCLUDED.contribution_sats,
                        EXCLUDED.accrued_yield, EXCLUDED.joined_at, EXCLUDED.updated_at,
                        EXCLUDED.registration_status, EXCLUDED.rbtc_balance_sats,
                        EXCLUDED.pool_in_step, EXCLUDED.pool_contribution_sats,
                        EXCLUDED.pool_desired_sats, EXCLUDED.pool_pending_call,
                        EXCLUDED.pool_checked_at)
                """)
            .param("user", user)
            .param("type", type)
            .param("eligible", state.getEligible())
            .param("registered", state.getRegisteredOnChain())
            .param("tier", state.getTier().name())
            .param("contribution", state.getContributionSats())
            .param("accrued", new BigDecimal(accrued))
            .param("joined", OffsetDateTime.ofInstant(joined, ZoneOffset.UTC))
            .param("updated", OffsetDateTime.ofInstant(updated, ZoneOffset.UTC))
            .param("registrationStatus", state.getRegistrationStatus(), Types.VARCHAR)
            .param("rbtcBalance", state.getRbtcBalanceSats(), Types.BIGINT)
            .param("poolInStep", state.getPoolInStep(), Types.BOOLEAN)
            .param("poolContribution", poolContribution, Types.NUMERIC)
            .param("poolDesired", state.getPoolDesiredSats(), Types.BIGINT)
            .param("poolPendingCall", state.getPoolPendingCall(), Types.VARCHAR)
            .param(
                "poolCheckedAt",
                poolCheckedAt == null
                    ? null
                    : OffsetDateTime.ofInstant(poolCheckedAt, ZoneOffset.UTC),
                Types.TIMESTAMP_WITH_TIMEZONE)
            .update();
    if (changed == 0) {
      return fresh ? Outcome.NO_EFFECT : Outcome.DUPLICATE;
    }
    List<StreamEvent> events =
        fresh
            ? List.of(
                StreamEvent.yield(
                    user,
                    LoyaltyTiers.participant(
                        type,
                        state.getEligible(),
                        state.getRegisteredOnChain(),
                        state.getContributionSats(),
                        accrued.toString(),
                        joined,
                        updated,
                        pool,
                        clock.instant())))
            : List.of();
    changes.afterCommit(events, List.of(user));
    return fresh ? Outcome.APPLIED : Outcome.DUPLICATE;
  }
}
