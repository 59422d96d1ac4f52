package com.reservebtc.oracle.reserves;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackingRatioTest {

  @ParameterizedTest
  @CsvSource({
    "100, 100, 100.00",
    "150, 100, 150.00",
    "0, 100, 0.00",
    "99999, 100000, 99.99",
    "1, 3, 33.33",
    "2, 3, 66.66",
    "2100000000000000, 2099999999999999, 100.00"
  })
  void isAPercentTruncatedToTwoDecimals(long reserves, long supply, String expected) {
    assertThat(BackingRatio.of(reserves, BigInteger.valueOf(supply))).isEqualTo(expected);
  }

  @Test
  void isUndefinedWithoutSupplyAndRefusesNegatives() {
    assertThat(BackingRatio.of(0, BigInteger.ZERO)).isEqualTo("n/a");
    assertThat(BackingRatio.of(5, BigInteger.ZERO)).isEqualTo("n/a");
    assertThatThrownBy(() -> BackingRatio.of(-1, BigInteger.ONE))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
