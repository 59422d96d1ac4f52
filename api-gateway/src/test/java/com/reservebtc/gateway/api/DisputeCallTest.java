package com.reservebtc.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

class DisputeCallTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String USER = "0xf45d5feefd7235d9872079d537f5796ba79b1e52";

  @Test
  void encodesDisputeBalanceAsTheAbiDoes() {
    DisputeCall call =
        DisputeCall.of(
            JSON.readTree(
                "{\"address\":\""
                    + USER
                    + "\",\"reportedBalance\":\"150000\",\"oracleBalance\":90000}"));

    assertThat(call.address().value()).isEqualTo(USER);
    // web3j FunctionEncoder.encode(disputeBalance(uint256 150000, uint256 90000))
    assertThat(call.callData())
        .isEqualTo(
            "0xe7bb1404"
                + "00000000000000000000000000000000000000000000000000000000000249f0"
                + "0000000000000000000000000000000000000000000000000000000000015f90");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[]",
        "{\"address\":\"" + USER + "\",\"reportedBalance\":\"1\"}",
        "{\"address\":\"" + USER + "\",\"reportedBalance\":\"-1\",\"oracleBalance\":\"2\"}",
        "{\"address\":\"" + USER + "\",\"reportedBalance\":\"1.5\",\"oracleBalance\":\"2\"}",
        "{\"address\":\"" + USER + "\",\"reportedBalance\":\"0x10\",\"oracleBalance\":\"2\"}",
        "{\"address\":\"" + USER + "\",\"reportedBalance\":\"\\uFF11\",\"oracleBalance\":\"2\"}",
        "{\"address\":\"" + USER + "\",\"reportedBalance\":true,\"oracleBalance\":\"2\"}",
        "{\"address\":\"" + USER + "\",\"reportedBalance\":\"7\",\"oracleBalance\":\"7\"}",
        "{\"address\":\""
            + USER
            + "\",\"reportedBalance\":\"1000000000000000000000000000000000000000000000000000000000000000000000000000000"
            + "\",\"oracleBalance\":\"2\"}"
      })
  void rejectsAMalformedDispute(String body) {
    assertThatThrownBy(() -> DisputeCall.of(JSON.readTree(body)))
        .isInstanceOfSatisfying(
            BadRequestException.class, e -> assertThat(e.code()).isEqualTo("invalid_dispute"));
  }

  @Test
  void rejectsAMissingOrMalformedAddress() {
    for (String body :
        java.util.List.of(
            "{}", "{\"address\":\"0x12\",\"reportedBalance\":\"1\",\"oracleBalance\":\"2\"}")) {
      assertThatThrownBy(() -> DisputeCall.of(JSON.readTree(body)))
          .isInstanceOfSatisfying(
              BadRequestException.class, e -> assertThat(e.code()).isEqualTo("invalid_address"));
    }
  }

  @Test
  void aValueAboveUint256IsRefused() {
    String tooBig = java.math.BigInteger.ONE.shiftLeft(256).toString();
    assertThatThrownBy(
            () ->
                DisputeCall.of(
                    JSON.readTree(
                        "{\"address\":\""
                            + USER
                            + "\",\"reportedBalance\":\""
                            + tooBig
                            + "\",\"oracleBalance\":\"2\"}")))
        .hasMessageContaining("uint256");
  }
}
