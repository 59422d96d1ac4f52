package com.reservebtc.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PageRequestTest {

  @Test
  void defaultsToFiftyFromTheStart() {
    assertThat(PageRequest.parse(null, null)).isEqualTo(new PageRequest(50, 0));
  }

  @Test
  void acceptsTheBounds() {
    assertThat(PageRequest.parse("1", "0")).isEqualTo(new PageRequest(1, 0));
    assertThat(PageRequest.parse("500", "1000000")).isEqualTo(new PageRequest(500, 1_000_000));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0",
        "-1",
        "501",
        "abc",
        "",
        "1.5",
        "99999999999",
        "+10",
        "0x10",
        "10\u0000",
        "\u0000010",
        "\uFF11\uFF10",
        "١٠",
        "1\n"
      })
  void rejectsALimitOutsideOneToFiveHundred(String limit) {
    assertThatThrownBy(() -> PageRequest.parse(limit, null))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> {
              assertThat(e.code()).isEqualTo("invalid_limit");
              assertThat(e.getMessage()).contains("1 to 500");
            });
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "abc", "", "99999999999", "\uFF11\uFF10", "7\u0000"})
  void rejectsANegativeOrNonIntegerOffset(String offset) {
    assertThatThrownBy(() -> PageRequest.parse("10", offset))
        .isInstanceOfSatisfying(
            BadRequestException.class, e -> assertThat(e.code()).isEqualTo("invalid_offset"));
  }
}
