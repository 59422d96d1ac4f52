package com.reservebtc.emergency.burns;

import java.time.Instant;

/**
 * System-wide emergency-burn totals for operators, from the {@code emergency_burn_summary} view.
 * Token burns by the OracleAggregator are what users lost; YieldScalesPool burns only remove the
 * same sats from yield contributions and are counted apart.
 *
 * @param totalBurns OracleAggregator emergency burns recorded (retracted ones excluded)
 * @param totalBurnedSats rBTC-SYNTH burned by them, in sats
 * @param usersAffected distinct users with at least one such burn
 * @param poolBurns YieldScalesPool EmergencyBurnTriggered logs recorded
 * @param lastBurnAt block time of the newest burn of either kind; null when there is none
 */
record EmergencyBurnTotals(
    long totalBurns,
    long totalBurnedSats,
    long usersAffected,
    long poolBurns,
    Instant lastBurnAt) {}
