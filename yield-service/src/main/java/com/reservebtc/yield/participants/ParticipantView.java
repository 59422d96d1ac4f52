package com.reservebtc.yield.participants;

import java.time.Instant;

/**
 * A participant as served to operators. Wei-sized and yield amounts are decimal strings; {@code
 * pendingYield} adds the unsettled period up to the time of the request at the current rate.
 */
record ParticipantView(
    String user,
    int participantType,
    boolean eligible,
    boolean registeredOnChain,
    String registrationStatus,
    int registrationAttempts,
    String registrationTxHash,
    String registrationError,
    long rbtcBalanceSats,
    long contributionSats,
    String tier,
    int multiplierPct,
    Instant joinedAt,
    Instant lastAccrualAt,
    String accruedYield,
    String pendingYield,
    String poolRateBps,
    long poolTotalSupplySats,
    long poolPeakSupplySats) {}
