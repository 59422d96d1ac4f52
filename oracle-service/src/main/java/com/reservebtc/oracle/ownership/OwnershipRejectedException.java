package com.reservebtc.oracle.ownership;

import java.util.Locale;
import java.util.Objects;

/**
 * A claim of Bitcoin address ownership that the oracle does not accept. The {@link Reason} is
 * machine-readable; the message says what was wrong and what to do.
 */
public final class OwnershipRejectedException extends RuntimeException {

  private final Reason reason;

  public OwnershipRejectedException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }

  /** Why a claim was rejected; {@link #code()} is the {@code error} field of the API response. */
  public enum Reason {
    INVALID_ETH_ADDRESS,
    INVALID_MESSAGE,
    /** The Bitcoin address is valid, but on another network than the one this oracle serves. */
    WRONG_NETWORK,
    ADDRESS_MISMATCH,
    TIMESTAMP_OUT_OF_WINDOW,
    INVALID_BTC_ADDRESS,
    UNSUPPORTED_ADDRESS_TYPE,
    MALFORMED_SIGNATURE,
    UNSUPPORTED_SIGNATURE,
    INVALID_SIGNATURE,
    /** The EVM address's own signature over the message is missing. */
    ETH_SIGNATURE_REQUIRED,
    /** The EVM signature is not 65 bytes of hex with a valid v, r and low s. */
    MALFORMED_ETH_SIGNATURE,
    /** The EVM signature was made by another address or over another message. */
    INVALID_ETH_SIGNATURE,
    /** The request is not newer than the last change of the Bitcoin address (a replay). */
    STALE_REQUEST;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
