package com.reservebtc.chainconsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class ChainValuesTest {

  @Test
  void normalisesAddressesToLowercase() {
    assertThat(ChainValues.address("0xABCDEF0123456789abcdef0123456789ABCDEF01"))
        .isEqualTo("0xabcdef0123456789abcdef0123456789abcdef01");
  }

  @Test
  void rejectsMalformedAddresses() {
    assertThatThrownBy(() -> ChainValues.address("0x1234"))
        .isInstanceOf(MalformedEventException.class);
  }

  @Test
  void parsesWeiBeyondLongRange() {
    assertThat(ChainValues.unsigned("amountWei", "123456789012345678901234567890"))
        .isEqualTo(new BigInteger("123456789012345678901234567890"));
  }

  @Test
  void rejectsNegativeAndNonNumericAmounts() {
    assertThatThrownBy(() -> ChainValues.unsigned("amountWei", "-1"))
        .isInstanceOf(MalformedEventException.class);
    assertThatThrownBy(() -> ChainValues.unsigned("amountWei", "1e18"))
        .isInstanceOf(MalformedEventException.class);
  }

  @Test
  void satsMustFitALong() {
    assertThat(ChainValues.sats("burnedAmount", "9223372036854775807")).isEqualTo(Long.MAX_VALUE);
    assertThatThrownBy(() -> ChainValues.sats("burnedAmount", "9223372036854775808"))
        .isInstanceOf(MalformedEventException.class);
  }
}
