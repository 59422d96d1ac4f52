package com.reservebtc.contracts.revert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.Response;

class RevertsTest {
  private static final String NEEDS_TOP_UP_DATA =
      "0x08c379a0"
          + "0000000000000000000000000000000000000000000000000000000000000020"
          + "000000000000000000000000000000000000000000000000000000000000000b"
          + "6e656564732d746f707570000000000000000000000000000000000000000000";

  @Test
  void decodesTheNeedsTopUpRevertString() {
    assertThat(Reverts.message(NEEDS_TOP_UP_DATA)).contains("needs-topup");
    assertThat(Reverts.isNeedsTopUp(NEEDS_TOP_UP_DATA)).isTrue();
    assertThat(Reverts.customError(NEEDS_TOP_UP_DATA)).isEmpty();
  }

  @Test
  void recognisesCustomErrorsBySelector() {
    assertThat(ContractError.FEE_CAP_EXCEEDED.selector()).isEqualTo("0x5a20e14c");
    assertThat(ContractError.RESTRICTED.selector()).isEqualTo("0xccc08913");
    assertThat(Reverts.customError("0x5A20E14C")).contains(ContractError.FEE_CAP_EXCEEDED);
    assertThat(Reverts.isNeedsTopUp("0x5a20e14c")).isFalse();
  }

  @Test
  void unwrapsTheJsonQuotesWeb3jLeavesAroundErrorData() {
    Response.Error error = new Response.Error(3, "execution reverted: custom error 0xccc08913");
    error.setData("\"0xccc08913\"");

    assertThat(Reverts.revertData(error)).contains("0xccc08913");
    assertThat(Reverts.customError(error.getData())).contains(ContractError.RESTRICTED);
  }

  @Test
  void returnsEmptyForDataItCannotDecode() {
    assertThat(Reverts.customError(null)).isEmpty();
    assertThat(Reverts.customError("0x")).isEmpty();
    assertThat(Reverts.customError("0xdeadbeef")).isEmpty();
    assertThat(Reverts.customError("not hex")).isEmpty();
    assertThat(Reverts.message("0x08c379a0")).isEmpty();
    assertThat(Reverts.message("0x08c379a0" + "ff".repeat(64))).isEmpty();
    assertThat(Reverts.revertData(null)).isEmpty();
    assertThat(Reverts.revertData(new Response.Error(-32000, "nonce too low"))).isEmpty();
  }

  @Test
  void knowsEveryErrorTheCompiledContractsDeclare() throws Exception {
    ObjectMapper json = new ObjectMapper();
    Set<String> declared = new HashSet<>();
    try (Stream<Path> abis = Files.list(Path.of("target", "solidity"))) {
      for (Path abi : abis.filter(p -> p.toString().endsWith(".abi")).toList()) {
        for (JsonNode entry : json.readTree(abi.toFile())) {
          if ("error".equals(entry.path("type").asText())) {
            assertThat(entry.path("inputs")).isEmpty();
            declared.add(entry.path("name").asText() + "()");
          }
        }
      }
    }

    assertThat(declared).isNotEmpty();
    assertThat(Arrays.stream(ContractError.values()).map(ContractError::signature))
        .containsExactlyInAnyOrderElementsOf(declared);
  }
}
