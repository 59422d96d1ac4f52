package com.reservebtc.gateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where a participant stands in the YieldScalesPool on chain, as the yield service last checked it:
 * {@code participantData.pool} of {@code /yield-status} and of the stream's {@code yield} event.
 * Absent until the yield service reports it.
 *
 * @param registrationStatus the pool registration's step: OFF_CHAIN (tracked off chain only),
 *     PENDING, SUBMITTING, SUBMITTED, REGISTERED, FAILED or GONE (see YieldParticipantState)
 * @param rbtcBalanceSats the rBTC-SYNTH balance the yield service counts for the holder
 * @param inStep the pool holds the contribution it should and knows of every emergency burn; null
 *     when not checked yet
 * @param contributionSats what the pool holds for the holder (decimal); null when not read yet or
 *     not a participant on chain
 * @param desiredSats what the pool should hold
 * @param pendingCall the call that would put the pool in step ({@code updateRBTCContribution} or
 *     {@code emergencyBurn}): sent by the yield service when it holds the pool's oracle key,
 *     otherwise only recorded here for an operator
 * @param checkedAt when the pool was last read (UTC, no zone suffix)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record YieldPoolJson(
    @JsonProperty("registrationStatus") String registrationStatus,
    @JsonProperty("rbtcBalanceSats") Long rbtcBalanceSats,
    @JsonProperty("inStep") Boolean inStep,
    @JsonProperty("contributionSats") String contributionSats,
    @JsonProperty("desiredSats") Long desiredSats,
    @JsonProperty("pendingCall") String pendingCall,
    @JsonProperty("checkedAt") String checkedAt) {

  /** True when the yield service reported nothing of the pool (a state before v2). */
  boolean isEmpty() {
    return registrationStatus == null
        && rbtcBalanceSats == null
        && inStep == null
        && contributionSats == null
        && desiredSats == null
        && pendingCall == null
        && checkedAt == null;
  }

  /** The pool part of a state, or null when it has none. */
  public static YieldPoolJson of(
      String registrationStatus,
      Long rbtcBalanceSats,
      Boolean inStep,
      String contributionSats,
      Long desiredSats,
      String pendingCall,
      java.time.Instant checkedAt) {
    YieldPoolJson pool =
        new YieldPoolJson(
            registrationStatus,
            rbtcBalanceSats,
            inStep,
            contributionSats,
            desiredSats,
            pendingCall,
            checkedAt == null ? null : Timestamps.local(checkedAt));
    return pool.isEmpty() ? null : pool;
  }
}
