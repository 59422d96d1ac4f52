package com.reservebtc.gateway.api;

/** How settled the block of a stored chain log is. Declared from least to most settled. */
public enum TxFinality {
  PENDING,
  CONFIRMED,
  FINALIZED;

  /** The more settled of the two. */
  public TxFinality atLeast(TxFinality other) {
    return other != null && other.ordinal() > ordinal() ? other : this;
  }

  /** The {@code status} the frontend contract shows for this finality. */
  public String status() {
    return this == PENDING ? "pending" : "confirmed";
  }
}
