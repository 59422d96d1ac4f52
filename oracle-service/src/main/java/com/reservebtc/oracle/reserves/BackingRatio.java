package com.reservebtc.oracle.reserves;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Reserves over supply in percent as a string with exactly two decimals ("100.00"). Truncated
 * toward zero, so the published figure never overstates the backing (99.999 % is "99.99"). A zero
 * supply has no ratio: "n/a".
 */
final class BackingRatio {

  static final String UNDEFINED = "n/a";

  private BackingRatio() {}

  static String of(long reserveSats, BigInteger supplySats) {
    if (reserveSats < 0 || supplySats.signum() < 0) {
      throw new IllegalArgumentException("reserves and supply cannot be negative");
    }
    if (supplySats.signum() == 0) {
      return UNDEFINED;
    }
    return new BigDecimal(reserveSats)
        .multiply(BigDecimal.valueOf(100))
        .divide(new BigDecimal(supplySats), 2, RoundingMode.DOWN)
        .toPlainString();
  }
}
