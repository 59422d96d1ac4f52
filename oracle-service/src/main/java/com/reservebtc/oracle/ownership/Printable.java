package com.reservebtc.oracle.ownership;

/**
 * Renders untrusted input for an error message: control characters (a NUL, a line break) are shown
 * as {@code \\uXXXX} escapes so they are visible, and long input is cut, so a message never carries
 * more of a request than needed to recognise it.
 */
final class Printable {

  private static final int MAX_CHARS = 100;

  private Printable() {}

  static String of(String input) {
    if (input == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder();
    int end = Math.min(input.length(), MAX_CHARS);
    for (int i = 0; i < end; i++) {
      char c = input.charAt(i);
      if (Character.isISOControl(c) || Character.isWhitespace(c) && c != ' ') {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (input.length() > MAX_CHARS) {
      out.append('…');
    }
    return out.toString();
  }
}
