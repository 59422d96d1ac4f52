package com.reservebtc.contracts.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProtocolDeploymentTest {
  private static final ProtocolDeployment DEPLOYMENT =
      new ProtocolDeployment(
          31337,
          1,
          "0xF39FD6E51AAD88F6F4CE6AB8827279CFFFB92266",
          "0x" + "a".repeat(40),
          "0x" + "b".repeat(40),
          "0x" + "c".repeat(40),
          "0x" + "d".repeat(40),
          "0x" + "e".repeat(40),
          "0x" + "f".repeat(40));

  @Test
  void normalisesAddressesToLowercase() {
    assertThat(DEPLOYMENT.committee()).isEqualTo("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
  }

  @Test
  void roundTripsThroughAPropertiesFileKeyedLikeTheServicesConfiguration(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("nested/deployment.properties");

    DEPLOYMENT.writeTo(file);

    assertThat(ProtocolDeployment.readFrom(file)).isEqualTo(DEPLOYMENT);
    assertThat(Files.readString(file))
        .contains("rbtc.chain.id=31337\n")
        .contains("rbtc.contracts.start-block=1\n")
        .contains("rbtc.contracts.oracle-aggregator=0x" + "a".repeat(40) + "\n")
        .contains("rbtc.contracts.yield-pool=0x" + "f".repeat(40) + "\n");
    try (var files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void rejectsMalformedAddresses() {
    assertThatThrownBy(
            () ->
                new ProtocolDeployment(
                    1,
                    0,
                    "0x1234",
                    DEPLOYMENT.oracleAggregator(),
                    DEPLOYMENT.synth(),
                    DEPLOYMENT.feeVault(),
                    DEPLOYMENT.feePolicy(),
                    DEPLOYMENT.wrbtc(),
                    DEPLOYMENT.yieldPool()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("committee");
  }

  @Test
  void namesTheMissingKeyOfAnIncompleteFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("deployment.properties");
    Files.writeString(file, "rbtc.chain.id=31337\nrbtc.contracts.start-block=3\n");

    assertThatThrownBy(() -> ProtocolDeployment.readFrom(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("rbtc.contracts.committee");
  }

  @Test
  void defaultParametersAreTheDeployedValues() {
    DeploymentParameters parameters = DeploymentParameters.defaults(DEPLOYMENT.committee());

    assertThat(parameters.pctBps()).hasToString("100");
    assertThat(parameters.fixedWei()).hasToString("1000000000000000");
    assertThat(parameters.weiPerSat()).hasToString("1000000000000");
    assertThat(parameters.maxFeePerSyncWei()).hasToString("10000000000000000");
    assertThat(parameters.minConfirmations()).isEqualTo(6);
    assertThat(parameters.withMinConfirmations(1).minConfirmations()).isEqualTo(1);
  }
}
