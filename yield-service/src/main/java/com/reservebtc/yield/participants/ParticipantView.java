package com.reservebtc.yield.participants;

import java.time.Instant;

/**
 * A participant as served to operators. Wei-sized and yield amounts are decimal strings; {@code
 * pendingYield} adds the unsettled period up to the time of the request at the current rate. {@code
 * registrationMode} says whether this service registers holders in the pool itself (AUTOMATIC) or
 * only tracks them (OFF_CHAIN_ONLY); {@code registration} explains the participant's registration
 * in words. {@code finality} is that of {@code stateBlockNumber}, the newest block behind the state
 * (computed from the block markers when read).
 *
 * <p>The {@code pool*} fields say whether the YieldScalesPool holds what it should for a registered
 * holder: {@code poolKey} whether this service holds the pool oracle key and so sends the calls
 * itself (a configured key that is not the pool's oracle counts as none, {@code poolError} says
 * why); {@code poolInStep} null when the holder is not checked (not a registered holder, or the
 * pool is not configured); {@code poolCallPending} the call that would bring the pool in step (sent
 * with the key, only recorded without it); {@code poolContributionSats} the pool's amount when last
 * read, {@code poolDesiredSats} what it should be.
 */
record ParticipantView(
    String user,
    int participantType,
    boolean eligible,
    boolean registeredOnChain,
    String registrationMode,
    String registration,
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
    long poolPeakSupplySats,
    Long stateBlockNumber,
    String finality,
    boolean poolKey,
    Boolean poolInStep,
    String poolCallPending,
    String poolContributionSats,
    Long poolDesiredSats,
    Instant poolOutOfStepSince,
    Instant poolCheckedAt,
    String poolTxHash,
    String poolError) {}
