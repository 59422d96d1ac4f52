package com.reservebtc.gateway.api;

import java.util.regex.Pattern;

/**
 * The {@code limit} and {@code offset} of a list request.
 *
 * @param limit entries to return, 1 to {@link #MAX_LIMIT}
 * @param offset entries to skip, at least 0
 */
public record PageRequest(int limit, int offset) {

  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");

  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;

  /**
   * Parses the query parameters; absent ones take their defaults (limit 50, offset 0).
   *
   * @throws BadRequestException {@code invalid_limit} or {@code invalid_offset}
   */
  public static PageRequest parse(String limit, String offset) {
    int parsedLimit = DEFAULT_LIMIT;
    if (limit != null) {
      Integer value = parseInt(limit);
      if (value == null || value < 1 || value > MAX_LIMIT) {
        throw new BadRequestException(
            "invalid_limit",
            "query parameter 'limit' must be an integer from 1 to "
                + MAX_LIMIT
                + ", got '"
                + shorten(limit)
                + "'");
      }
      parsedLimit = value;
    }
    int parsedOffset = 0;
    if (offset != null) {
      Integer value = parseInt(offset);
      if (value == null || value < 0) {
        throw new BadRequestException(
            "invalid_offset",
            "query parameter 'offset' must be an integer of at least 0, got '"
                + shorten(offset)
                + "'");
      }
      parsedOffset = value;
    }
    return new PageRequest(parsedLimit, parsedOffset);
  }

  /**
   * The value of a plain ASCII decimal integer (surrounding spaces forgiven), or null: no sign,
   * hex, control characters or non-ASCII digits (Java's own parsing accepts e.g. fullwidth digits).
   */
  private static Integer parseInt(String raw) {
    String digits = EthAddress.stripSpaces(raw);
    if (!DIGITS.matcher(digits).matches()) {
      return null;
    }
    long value = Long.parseLong(digits);
    return value > Integer.MAX_VALUE ? null : (int) value;
  }

  private static String shorten(String raw) {
    return raw.length() > 32 ? raw.substring(0, 32) + "…" : raw;
  }
}
