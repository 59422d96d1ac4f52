package com.reservebtc.gateway.projection;

import com.reservebtc.gateway.api.LoyaltyTiers;
import com.reservebtc.gateway.stream.StreamEvent;
import com.reservebtc.schemas.avro.YieldParticipantState;
import java.math.BigDecimal;
import java.math.BigInteger;
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
    boolean fresh = inbox.claim(ContentIds.of("yield-state", state), topic);
    int changed =
        jdbc.sql(
                """
                INSERT INTO yield_scales_participants AS p (user_address, participant_type,
                    eligible, registered_on_chain, tier, contribution_sats, accrued_yield,
                    joined_at, updated_at)
                VALUES (:user, :type, :eligible, :registered, :tier, :contribution, :accrued,
                    :joined, :updated)
                ON CONFLICT (user_address) DO UPDATE SET
                    participant_type = EXCLUDED.participant_type, eligible = EXCLUDED.eligible,
                    registered_on_chain = EXCLUDED.registered_on_chain, tier = EXCLUDED.tier,
                    contribution_sats = EXCLUDED.contribution_sats,
                    accrued_yield = EXCLUDED.accrued_yield, joined_at = EXCLUDED.joined_at,
                    updated_at = EXCLUDED.updated_at, projected_at = now()
                WHERE (p.participant_type, p.eligible, p.registered_on_chain, p.tier,
                        p.contribution_sats, p.accrued_yield, p.joined_at, p.updated_at)
                    IS DISTINCT FROM (EXCLUDED.participant_type, EXCLUDED.eligible,
                        EXCLUDED.registered_on_chain, EXCLUDED.tier, EXCLUDED.contribution_sats,
                        EXCLUDED.accrued_yield, EXCLUDED.joined_at, EXCLUDED.updated_at)
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
                        clock.instant())))
            : List.of();
    changes.afterCommit(events, List.of(user));
    return fresh ? Outcome.APPLIED : Outcome.DUPLICATE;
  }
}
