package com.reservebtc.chainconsumer;

import com.reservebtc.schemas.Keys;
import java.math.BigInteger;

/**
 * Parses the string-typed values of chain records into our own types, rejecting anything the
 * indexer should never have written with a {@link MalformedEventException}.
 */
public final class ChainValues {

  private ChainValues() {}

  /** Lowercase 0x address. */
  public static String address(String value) {
    try {
      return Keys.user(value);
    } catch (IllegalArgumentException e) {
      throw new MalformedEventException(e.getMessage(), e);
    }
  }

  /** An unsigned decimal integer (wei or token base units). */
  public static BigInteger unsigned(String field, String value) {
    BigInteger parsed;
    try {
      parsed = new BigInteger(value);
    } catch (NumberFormatException | NullPointerException e) {
      throw new MalformedEventException(field + " is not a decimal integer: " + value, e);
    }
    if (parsed.signum() < 0) {
      throw new MalformedEventException(field + " must not be negative: " + value);
    }
    return parsed;
  }

  /** An unsigned amount of sats that must fit a {@code long}. */
  public static long sats(String field, String value) {
    BigInteger parsed = unsigned(field, value);
    if (parsed.bitLength() > 63) {
      throw new MalformedEventException(field + " does not fit in 63 bits of sats: " + value);
    }
    return parsed.longValue();
  }
}
