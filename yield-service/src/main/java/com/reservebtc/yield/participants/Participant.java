package com.reservebtc.yield.participants;

import com.reservebtc.yield.finality.BlockFinality;
import java.math.BigInteger;

/**
 * One row of {@code yield_scales_participants}. Immutable; the {@code with*} methods return the
 * changed copy. Times are block timestamps in epoch seconds. {@code state} is the highest block of
 * the events applied so far and its finality (null before the first event).
 */
record Participant(
    String user,
    int participantType,
    long rbtcBalanceSats,
    long contributionSats,
    boolean registeredOnChain,
    RegistrationStatus registrationStatus,
    long joinedAt,
    long lastAccrualAt,
    BigInteger accruedYield,
    String lastEventId,
    BlockFinality state) {

  static final int BITCOIN_HOLDER = 0;
  static final int TRADER = 1;

  /** A user seen for the first time at {@code at}: the loyalty clock starts now. */
  static Participant fresh(String user, long at) {
    return new Participant(
        user,
        BITCOIN_HOLDER,
        0,
        0,
        false,
        RegistrationStatus.OFF_CHAIN,
        at,
        at,
        BigInteger.ZERO,
        null,
        null);
  }

  /** Eligible for the pool: holds rBTC-SYNTH. */
  boolean eligible() {
    return rbtcBalanceSats > 0;
  }

  Position position() {
    return new Position(contributionSats, accruedYield, lastAccrualAt, joinedAt);
  }

  Participant withPosition(Position position) {
    return new Participant(
        user,
        participantType,
        rbtcBalanceSats,
        contributionSats,
        registeredOnChain,
        registrationStatus,
        position.joinedAt(),
        position.lastAccrualAt(),
        position.accruedYield(),
        lastEventId,
        state);
  }

  /** New token balance; a holder's contribution follows it (never below zero). */
  Participant withBalance(long balanceSats) {
    long contribution =
        participantType == BITCOIN_HOLDER ? Math.max(0, balanceSats) : contributionSats;
    return new Participant(
        user,
        participantType,
        balanceSats,
        contribution,
        registeredOnChain,
        registrationStatus,
        joinedAt,
        lastAccrualAt,
        accruedYield,
        lastEventId,
        state);
  }

  Participant withContribution(long contribution) {
    return new Participant(
        user,
        participantType,
        rbtcBalanceSats,
        Math.max(0, contribution),
        registeredOnChain,
        registrationStatus,
        joinedAt,
        lastAccrualAt,
        accruedYield,
        lastEventId,
        state);
  }

  Participant withAccruedYield(BigInteger accrued) {
    return new Participant(
        user,
        participantType,
        rbtcBalanceSats,
        contributionSats,
        registeredOnChain,
        registrationStatus,
        joinedAt,
        lastAccrualAt,
        accrued.max(BigInteger.ZERO),
        lastEventId,
        state);
  }

  Participant withRegistration(RegistrationStatus status) {
    return new Participant(
        user,
        participantType,
        rbtcBalanceSats,
        contributionSats,
        status == RegistrationStatus.REGISTERED,
        status,
        joinedAt,
        lastAccrualAt,
        accruedYield,
        lastEventId,
        state);
  }

  /** ParticipantJoined: the chain's type, join time and base are the truth from now on. */
  Participant joinedOnChain(int type, long at, long baseUnits) {
    return new Participant(
        user,
        type,
        rbtcBalanceSats,
        baseUnits,
        true,
        RegistrationStatus.REGISTERED,
        at,
        Math.max(lastAccrualAt, at),
        accruedYield,
        lastEventId,
        state);
  }

  Participant withState(BlockFinality newState) {
    return new Participant(
        user,
        participantType,
        rbtcBalanceSats,
        contributionSats,
        registeredOnChain,
        registrationStatus,
        joinedAt,
        lastAccrualAt,
        accruedYield,
        lastEventId,
        newState);
  }

  /** Whether an event in {@code block} of {@code chainId} is older than the state's newest one. */
  boolean newerThan(long chainId, long block) {
    return state != null && state.chainId() == chainId && state.blockNumber() > block;
  }

  Participant withLastEventId(String eventId) {
    return new Participant(
        user,
        participantType,
        rbtcBalanceSats,
        contributionSats,
        registeredOnChain,
        registrationStatus,
        joinedAt,
        lastAccrualAt,
        accruedYield,
        eventId,
        state);
  }
}
