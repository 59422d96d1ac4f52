package com.reservebtc.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class EthAddressTest {

  @Test
  void lowercasesAValidMixedCaseAddress() {
    assertThat(EthAddress.parseParameter("0xF45D5FEEFD7235d9872079d537f5796ba79b1e52").value())
        .isEqualTo("0xf45d5feefd7235d9872079d537f5796ba79b1e52");
  }

  @Test
  void toleratesSurroundingWhitespace() {
    assertThat(EthAddress.parseParameter(" 0xf45d5feefd7235d9872079d537f5796ba79b1e52 ").value())
        .isEqualTo("0xf45d5feefd7235d9872079d537f5796ba79b1e52");
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"   "})
  void rejectsAMissingAddressAsInvalidAddress(String raw) {
    assertThatThrownBy(() -> EthAddress.parseParameter(raw))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> {
              assertThat(e.code()).isEqualTo("invalid_address");
              assertThat(e.getMessage()).contains("required");
            });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0x123",
        "f45d5feefd7235d9872079d537f5796ba79b1e52",
        "0xf45d5feefd7235d9872079d537f5796ba79b1e5",
        "0xf45d5feefd7235d9872079d537f5796ba79b1e521",
        "0xg45d5feefd7235d9872079d537f5796ba79b1e52",
        "0Xf45d5feefd7235d9872079d537f5796ba79b1e52",
        "0xf45d5feefd7235d9872079d537f5796ba79b1e52;drop",
        "tb1qtkj7hlhv9drfwe2mupq0yt9m6fsungkjjv5lr7",
        "0xf45d5feefd7235d9872079d537f5796ba79b1e52\u0000",
        "\u00000xf45d5feefd7235d9872079d537f5796ba79b1e52",
        "0xf45d5feefd7235d9872079d537f5796ba79b1e52\n",
        "\t0xf45d5feefd7235d9872079d537f5796ba79b1e52"
      })
  void rejectsMalformedAddresses(String raw) {
    assertThatThrownBy(() -> EthAddress.parseParameter(raw))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> {
              assertThat(e.code()).isEqualTo("invalid_address");
              assertThat(e.getMessage()).contains("40 hex digits");
            });
  }

  @Test
  void truncatesAVeryLongInputInTheMessage() {
    String raw = "x".repeat(10_000);
    assertThatThrownBy(() -> EthAddress.parseParameter(raw))
        .isInstanceOfSatisfying(
            BadRequestException.class, e -> assertThat(e.getMessage()).hasSizeLessThan(200));
  }
}
