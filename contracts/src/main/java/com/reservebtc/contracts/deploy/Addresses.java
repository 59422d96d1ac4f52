package com.reservebtc.contracts.deploy;

import java.util.Locale;
import java.util.regex.Pattern;

/** Validation of 20-byte EVM addresses in the form the rest of the system expects. */
final class Addresses {
  private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-f]{40}");

  private Addresses() {}

  /** Returns the address in lowercase 0x form, or throws naming {@code what} if it is not one. */
  static String require(String what, String value) {
    if (value == null) {
      throw new IllegalArgumentException(what + " must be an address, was null");
    }
    String lower = value.trim().toLowerCase(Locale.ROOT);
    if (!ADDRESS.matcher(lower).matches()) {
      throw new IllegalArgumentException(
          what + " must be 0x followed by 40 hex digits, was '" + value + "'");
    }
    return lower;
  }
}
