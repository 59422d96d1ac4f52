package com.reservebtc.reserves.verifier;

import java.util.HexFormat;
import java.util.Locale;

/** Lower-case hex, strictly parsed. */
public final class Hex {

  private static final HexFormat FORMAT = HexFormat.of();

  private Hex() {}

  public static String encode(byte[] bytes) {
    return FORMAT.formatHex(bytes);
  }

  /** Parses an even number of hex digits (either case). */
  public static byte[] decode(String hex) {
    if (hex.length() % 2 != 0 || !hex.matches("[0-9a-fA-F]*")) {
      throw new IllegalArgumentException("not an even number of hex digits: " + shorten(hex));
    }
    return FORMAT.parseHex(hex.toLowerCase(Locale.ROOT));
  }

  /** Parses exactly {@code bytes} bytes of lower-case hex. */
  public static byte[] decodeExact(String hex, int bytes, String what) {
    if (hex == null || hex.length() != bytes * 2 || !hex.matches("[0-9a-f]*")) {
      throw new IllegalArgumentException(
          what + " must be " + bytes * 2 + " lower-case hex digits, was " + shorten(hex));
    }
    return FORMAT.parseHex(hex);
  }

  private static String shorten(String text) {
    if (text == null) {
      return "nothing";
    }
    return text.length() > 80 ? text.substring(0, 80) + "…" : text;
  }
}
