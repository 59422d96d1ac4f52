package com.reservebtc.yield.participants;

import java.math.BigInteger;

/**
 * One row of {@code yield_scales_participants}: a user's state after their last event in the
 * ledger. Immutable; the {@code with*} methods return the changed copy. Times are block times in
 * epoch seconds. {@code chainId} / {@code stateBlockNumber} name the newest block behind the state.
 */
record Participant(
    String user,
    int participantType,
    long rbtcBalanceSats,
    long contributionSats,
    boolean registeredOnChain,
    long joinedAt,
    long lastAccrualAt,
    BigInteger accruedYield,
    String lastEventId,
    long lastEventAt,
    long chainId,
    long stateBlockNumber) {

  static final int BITCOIN_HOLDER = 0;
  static final int TRADER = 1;

  /** A user seen for the first time at {@code at}: the loyalty clock starts now. */
  static Participant fresh(String user, long at) {
    return new Participant(
        user, BITCOIN_HOLDER, 0, 0, false, at, at, BigInteger.ZERO, null, at, 0, 0);
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
        position.joinedAt(),
        position.lastAccrualAt(),
        position.accruedYield(),
        lastEventId,
        lastEventAt,
        chainId,
        stateBlockNumber);
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
        joinedAt,
        lastAccrualAt,
        accruedYield,
        lastEventId,
        lastEventAt,
        chainId,
        stateBlockNumber);
  }

  Participant withContribution(long contribution) {
    return new Participant(
        user,
        participantType,
        rbtcBalanceSats,
        Math.max(0, contribution),
        registeredOnChain,
        joinedAt,
        lastAccrualAt,
        accruedYield,
        lastEventId,
        lastEventAt,
        chainId,
        stateBlockNumber);
  }

  Participant withAccruedYield(BigInteger accrued) {
    return new Participant(
        user,
        participantType,
        rbtcBalanceSats,
        contributionSats,
        registeredOnChain,
        joinedAt,
        lastAccrualAt,
        accrued.max(BigInteger.ZERO),
        lastEventId,
        lastEventAt,
        chainId,
        stateBlockNumber);
  }

  /** ParticipantJoined: the chain's type, join time and base are the truth from now on. */
  Participant joinedOnChain(int type, long at, long baseUnits) {
    return new Participant(
        user,
        type,
        rbtcBalanceSats,
        baseUnits,
        true,
        at,
        Math.max(lastAccrualAt, at),
        accruedYield,
        lastEventId,
        lastEventAt,
        chainId,
        stateBlockNumber);
  }

  /** The state now stems from {@code eventId} at {@code at} in {@code block} of {@code chain}. */
  Participant after(String eventId, long at, long chain, long block) {
    return new Participant(
        user,
        participantType,
        rbtcBalanceSats,
        contributionSats,
        registeredOnChain,
        joinedAt,
        lastAccrualAt,
        accruedYield,
        eventId,
        at,
        chain,
        block);
  }
}
