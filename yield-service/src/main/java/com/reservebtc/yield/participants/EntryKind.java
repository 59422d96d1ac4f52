package com.reservebtc.yield.participants;

/** What a ledger entry (one canonical chain event) does to its user's participant state. */
enum EntryKind {
  /** rBTC-SYNTH minted to the user: the balance (and a holder's contribution) grows. */
  MINT(true, true),
  /** rBTC-SYNTH burned from the user. */
  BURN(true, true),
  /** The OracleAggregator burned the whole balance: a holder's contribution becomes zero. */
  AGGREGATOR_BURN(false, true),
  /**
   * The pool's EmergencyBurnTriggered: it mirrors an aggregator burn the balance already counts.
   */
  POOL_BURN(false, false),
  /** ParticipantJoined: the chain's type, join time and base. */
  JOINED(true, true),
  /** YieldClaimed: the claimed amount leaves the accrued yield. */
  CLAIMED(false, true),
  /** BalanceDisputed: recorded only. */
  DISPUTED(false, false);

  private final boolean creates;
  private final boolean changes;

  EntryKind(boolean creates, boolean changes) {
    this.creates = creates;
    this.changes = changes;
  }

  /** Makes a participant of a user the pool did not know. */
  boolean creates() {
    return creates;
  }

  /** Settles the yield due and changes the state (the others are recorded only). */
  boolean changes() {
    return changes;
  }

  /** Moves the chain's rBTC-SYNTH supply. */
  boolean movesSupply() {
    return this == MINT || this == BURN;
  }
}
