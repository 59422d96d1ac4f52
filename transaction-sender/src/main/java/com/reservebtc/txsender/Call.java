package com.reservebtc.txsender;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Objects;

/**
 * What a transaction does: the contract (or account) it calls, the wei it carries and its call
 * data.
 *
 * @param to lower-case 0x address
 * @param value wei sent along, {@code >= 0}
 * @param data 0x-prefixed ABI call data ({@code "0x"} for none)
 */
public record Call(String to, BigInteger value, String data) {

  public Call {
    Objects.requireNonNull(to, "to");
    if (!to.matches("0x[0-9a-fA-F]{40}")) {
      throw new IllegalArgumentException("to must be a 0x address, was '" + to + "'");
    }
    to = to.toLowerCase(Locale.ROOT);
    Objects.requireNonNull(value, "value");
    if (value.signum() < 0) {
      throw new IllegalArgumentException("value must be >= 0, was " + value);
    }
    data = data == null || data.isEmpty() ? "0x" : data;
    if (!data.matches("0x([0-9a-fA-F]{2})*")) {
      throw new IllegalArgumentException("data must be 0x-prefixed hex bytes");
    }
  }
}
