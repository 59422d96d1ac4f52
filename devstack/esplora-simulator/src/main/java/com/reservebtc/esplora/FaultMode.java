package com.reservebtc.esplora;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How matching Esplora GET requests misbehave while a {@link FaultRule} is active. */
public enum FaultMode {
  /** Answer normally. */
  NONE,
  /**
   * Answer normally, but only after the rule's delay (a client with a shorter timeout gives up).
   */
  TIMEOUT,
  /** {@code 429 Too Many Requests} with {@code Retry-After: 1}. */
  HTTP429,
  /** {@code 500 Internal Server Error}. */
  HTTP500,
  /** {@code 200} with a body that is neither valid JSON nor a valid plain-text answer. */
  GARBAGE;

  public static FaultMode parse(String value) {
    for (FaultMode mode : values()) {
      if (mode.id().equals(value == null ? "" : value.trim().toLowerCase(Locale.ROOT))) {
        return mode;
      }
    }
    throw new RejectedRequestException(
        "mode must be one of none, timeout, http429, http500, garbage; was '" + value + "'");
  }

  @JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
