package com.reservebtc.gateway.profiles;

/**
 * A profile cannot be sealed or opened with the configured keys: none is configured, the key a
 * profile was sealed with is not configured any more, or a configured key of that id is not the one
 * it was sealed with. The message says which key id and what to configure; it never contains key
 * material.
 */
public final class ProfileKeyException extends RuntimeException {

  /** What is wrong, as an error code of the API. */
  public enum Reason {
    NO_KEY_CONFIGURED,
    KEY_NOT_CONFIGURED,
    KEY_MISMATCH
  }

  private final Reason reason;

  ProfileKeyException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
