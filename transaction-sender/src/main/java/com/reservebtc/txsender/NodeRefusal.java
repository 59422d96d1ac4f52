package com.reservebtc.txsender;

import java.util.Locale;

/**
 * Why a node refused {@code eth_sendRawTransaction}, from its error text (nodes differ in words).
 */
enum NodeRefusal {
  /** The node already has exactly this transaction: it counts as sent. */
  ALREADY_KNOWN,
  /** The nonce is used or out of range. */
  NONCE,
  /** A transaction with this nonce is in the pool and ours does not bump it enough. */
  REPLACEMENT_UNDERPRICED,
  /** The max fee is below the current base fee (or the node's minimum price). */
  FEE_TOO_LOW,
  /** The account cannot pay gas × max fee + value. */
  INSUFFICIENT_FUNDS,
  /** Anything else: the transaction itself is unacceptable. */
  OTHER;

  static NodeRefusal of(String message) {
    String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
    if (m.contains("already known")
        || m.contains("known transaction")
        || m.contains("already imported")
        || m.contains("already exists")) {
      return ALREADY_KNOWN;
    }
    if (m.contains("replacement transaction underpriced")
        || m.contains("replacement underpriced")
        || m.contains("replace underpriced")) {
      return REPLACEMENT_UNDERPRICED;
    }
    if (m.contains("nonce")) {
      return NONCE;
    }
    if (m.contains("insufficient funds")) {
      return INSUFFICIENT_FUNDS;
    }
    if (m.contains("base fee")
        || m.contains("basefee")
        || m.contains("underpriced")
        || m.contains("fee cap")
        || m.contains("feecap")
        || m.contains("gas price too low")) {
      return FEE_TOO_LOW;
    }
    return OTHER;
  }
}
