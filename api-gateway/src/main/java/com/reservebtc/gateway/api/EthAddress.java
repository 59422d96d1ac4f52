package com.reservebtc.gateway.api;

import java.util.Locale;
import java.util.regex.Pattern;

/** A validated EVM address, always lowercase 0x hex. */
public record EthAddress(String value) {

  private static final Pattern FORMAT = Pattern.compile("0x[0-9a-fA-F]{40}");
  private static final int ECHO_LIMIT = 64;

  public EthAddress {
    if (value == null || !FORMAT.matcher(value).matches()) {
      throw new IllegalArgumentException("not an EVM address: " + value);
    }
    value = value.toLowerCase(Locale.ROOT);
  }

  /**
   * Parses the {@code address} query parameter.
   *
   * @throws BadRequestException {@code invalid_address} if it is missing or malformed
   */
  public static EthAddress parseParameter(String raw) {
    if (raw == null || raw.isBlank()) {
      throw new BadRequestException(
          "invalid_address",
          "query parameter 'address' is required: an EVM address, 0x followed by 40 hex digits");
    }
    // Surrounding spaces are forgiven; control characters (a NUL, a line break) are not.
    String trimmed = stripSpaces(raw);
    if (!FORMAT.matcher(trimmed).matches()) {
      String echo =
          trimmed.length() > ECHO_LIMIT ? trimmed.substring(0, ECHO_LIMIT) + "…" : trimmed;
      throw new BadRequestException(
          "invalid_address",
          "'" + echo + "' is not an EVM address: expected 0x followed by 40 hex digits");
    }
    return new EthAddress(trimmed);
  }

  /** {@code text} without leading and trailing U+0020 spaces (and nothing else). */
  static String stripSpaces(String text) {
    int start = 0;
    int end = text.length();
    while (start < end && text.charAt(start) == ' ') {
      start++;
    }
    while (end > start && text.charAt(end - 1) == ' ') {
      end--;
    }
    return text.substring(start, end);
  }

  @Override
  public String toString() {
    return value;
  }
}
