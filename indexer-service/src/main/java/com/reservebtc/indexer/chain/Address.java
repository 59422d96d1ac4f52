package com.reservebtc.indexer.chain;

/**
 * A 20-byte EVM address in its canonical lowercase 0x form. Construction validates, so an {@code
 * Address} is always well formed; it says nothing about whether anything is deployed there.
 */
public record Address(String value) {

  public Address {
    String canonical = Hashes.canonicalHex(value, 40);
    if (canonical == null) {
      throw new IllegalArgumentException(
          "not an EVM address (expected 0x followed by 40 hex digits): " + value);
    }
    value = canonical;
  }

  public static Address of(String value) {
    return new Address(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
