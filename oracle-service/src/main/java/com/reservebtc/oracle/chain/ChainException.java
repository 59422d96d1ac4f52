package com.reservebtc.oracle.chain;

import java.util.Objects;

/** A chain interaction that did not produce a usable answer. */
public final class ChainException extends Exception {

  private final Kind kind;

  public ChainException(Kind kind, String message) {
    super(message);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  public ChainException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  public Kind kind() {
    return kind;
  }

  public enum Kind {
    /** The node could not be reached or answered with an RPC error to a read. */
    UNAVAILABLE,
    /** The node refused the transaction; it was not broadcast. */
    REJECTED,
    /** The node refused the transaction because of its nonce; the local nonce was resynced. */
    NONCE,
    /** The broadcast may or may not have reached the node. */
    UNKNOWN_OUTCOME,
    /** The deployment or key does not match what the oracle needs. */
    MISCONFIGURED
  }
}
