package com.reservebtc.indexer.chain;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A 20-byte EVM address in its canonical lowercase 0x form. Construction validates, so an {@code
 * Address} is always well formed; it says nothing about whether anything is deployed there.
 */
public record Address(String value) {

  private static final Pattern HEX_ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");

  public Address {
    if (value == null || !HEX_ADDRESS.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "not an EVM address (expected 0x followed by 40 hex digits): " + value);
    }
    value = value.toLowerCase(Locale.ROOT);
  }

  public static Address of(String value) {
    return new Address(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
