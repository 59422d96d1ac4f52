package com.reservebtc.indexer.chain;

import java.util.Locale;

/**
 * Validation of 32-byte hashes as they travel on the wire: lowercase 0x hex. Checked by hand rather
 * than with a regular expression because every log carries several of them.
 */
public final class Hashes {

  private Hashes() {}

  /**
   * The canonical lowercase form of a 32-byte hash.
   *
   * @throws IllegalArgumentException naming {@code what} if the value is not a 0x 32-byte hash
   */
  public static String require(String what, String value) {
    String canonical = canonicalHex(value, 64);
    if (canonical == null) {
      throw new IllegalArgumentException(
          what + " is not a 32-byte 0x hex hash: " + (value == null ? "null" : value));
    }
    return canonical;
  }

  /**
   * {@code value} in lowercase if it is {@code 0x} followed by exactly {@code digits} hex digits
   * ({@code digits < 0}: any even or odd number), else null. One pass, and no copy when the value
   * is lowercase already (as nodes send it).
   */
  static String canonicalHex(String value, int digits) {
    if (value == null || value.length() < 2 || (digits >= 0 && value.length() != digits + 2)) {
      return null;
    }
    if (value.charAt(0) != '0' || (value.charAt(1) != 'x' && value.charAt(1) != 'X')) {
      return null;
    }
    boolean lower = value.charAt(1) == 'x';
    for (int i = 2, n = value.length(); i < n; i++) {
      char c = value.charAt(i);
      if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) {
        continue;
      }
      if (c >= 'A' && c <= 'F') {
        lower = false;
        continue;
      }
      return null;
    }
    return lower ? value : value.toLowerCase(Locale.ROOT);
  }
}
