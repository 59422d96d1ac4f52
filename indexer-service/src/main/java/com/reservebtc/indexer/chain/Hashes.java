package com.reservebtc.indexer.chain;

import java.util.Locale;
import java.util.regex.Pattern;

/** Validation of 32-byte hashes as they travel on the wire: lowercase 0x hex. */
public final class Hashes {

  private static final Pattern HASH = Pattern.compile("0x[0-9a-fA-F]{64}");

  private Hashes() {}

  /**
   * The canonical lowercase form of a 32-byte hash.
   *
   * @throws IllegalArgumentException naming {@code what} if the value is not a 0x 32-byte hash
   */
  public static String require(String what, String value) {
    if (value == null || !HASH.matcher(value).matches()) {
      throw new IllegalArgumentException(
          what + " is not a 32-byte 0x hex hash: " + (value == null ? "null" : value));
    }
    return value.toLowerCase(Locale.ROOT);
  }
}
