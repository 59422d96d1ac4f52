package com.reservebtc.txsender;

import java.util.Objects;

/**
 * A send, replacement or receipt query that did not produce a usable answer. Messages say what went
 * wrong and what to do; they never contain the key and name the node only by scheme, host and port.
 */
public final class SenderException extends Exception {

  private final Kind kind;

  public SenderException(Kind kind, String message) {
    super(message);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  public SenderException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  public Kind kind() {
    return kind;
  }

  /** How a caller should treat it: {@link Kind#category()}. */
  public Category category() {
    return kind.category();
  }

  /** The three ways a caller can react. */
  public enum Category {
    /** Retrying the same thing will fail the same way until someone changes something. */
    FATAL,
    /** Nothing was broadcast (or the read failed); trying again later can succeed. */
    RETRIABLE,
    /**
     * The signed transaction may or may not have reached the node: treat it as submitted and
     * resolve it by its hashes ({@link TransactionSender#outcome}).
     */
    UNKNOWN_OUTCOME
  }

  public enum Kind {
    /** The node is on another chain, or the key or settings cannot work. */
    MISCONFIGURED(Category.FATAL),
    /**
     * The node refused the transaction for itself (its gas estimate reverts, the account cannot pay
     * for it); it was not broadcast.
     */
    REJECTED(Category.FATAL),
    /** The node could not be reached or answered a read with an error. */
    UNAVAILABLE(Category.RETRIABLE),
    /** The node refused the nonce; the local nonce was dropped and is re-read on the next send. */
    NONCE(Category.RETRIABLE),
    /**
     * The current base fee is above the max-fee cap, so no transaction the cap allows could be
     * mined now; nothing was signed. Reported to the {@link SenderListener} as stuck progress.
     */
    FEE_CAP(Category.RETRIABLE),
    /** The broadcast may or may not have arrived; the local nonce is re-read on the next send. */
    UNKNOWN_OUTCOME(Category.UNKNOWN_OUTCOME);

    private final Category category;

    Kind(Category category) {
      this.category = category;
    }

    public Category category() {
      return category;
    }
  }
}
