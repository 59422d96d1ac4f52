package com.reservebtc.oracle.operations;

/**
 * Status of one oracle operation step; the names are those of the wire enum and the database check
 * constraint.
 */
public enum OperationStatus {
  /** A sync passed simulation and is about to be signed. */
  PLANNED,
  /** Signed with this hash and nonce; recorded before broadcast. */
  SUBMITTED,
  /** Mined with status 1 and the expected Synced event. */
  CONFIRMED,
  /** Mined with status 0. */
  REVERTED,
  /** Did not happen: refused by the node, simulation reverted, dropped, or could not be planned. */
  FAILED,
  /** Simulation said the user's fee vault cannot pay an upward sync; nothing was sent. */
  NEEDS_TOP_UP,
  /** An increase above the fee cap was split into several syncs. */
  SPLIT,
  /** Not attempted this cycle because a Bitcoin observation failed. */
  SKIPPED,
  /** Not attempted because the Bitcoin sources disagreed. */
  SOURCE_DISAGREEMENT,
  /** The aggregator burned the user's whole balance instead of syncing (fees could not be paid). */
  EMERGENCY_BURN;

  /** Whether this status closes a {@link #SUBMITTED} step. */
  public boolean isOutcome() {
    return this == CONFIRMED || this == REVERTED || this == FAILED || this == EMERGENCY_BURN;
  }
}
