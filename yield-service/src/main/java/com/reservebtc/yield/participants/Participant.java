package com.reservebtc.yield.participants;

import java.math.BigInteger;

/**
 * One row of {@code yield_scales_participants}. Immutable; the {@code with*} methods return the
 * changed copy. Times are block timestamps in epoch seconds.
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
    String lastEventId) {

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
        lastEventId);
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
        lastEventId);
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
        lastEventId);
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
        lastEventId);
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
        lastEventId);
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
        lastEventId);
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
        eventId);
  }
}
