package com.reservebtc.esplora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EsploraSimulatorMainTest {
  @Test
  void defaultsToTheLocalStackPortOnRegtestInMemory() {
    SimulatorConfig config = EsploraSimulatorMain.parse(new String[0]);

    assertThat(config.port()).isEqualTo(13002);
    assertThat(config.network()).isEqualTo(Network.REGTEST);
    assertThat(config.stateFile()).isNull();
    assertThat(config.bindAddress()).isEqualTo("127.0.0.1");
  }

  @Test
  void readsEveryOptionInBothSpellings() {
    SimulatorConfig config =
        EsploraSimulatorMain.parse(
            new String[] {"--port", "0", "--network=testnet", "--state-file", "/tmp/x.json"});

    assertThat(config.port()).isZero();
    assertThat(config.network()).isEqualTo(Network.TESTNET);
    assertThat(config.stateFile()).isEqualTo(Path.of("/tmp/x.json"));
  }

  @Test
  void rejectsUnknownOptionsAndBadValues() {
    assertThatThrownBy(() -> EsploraSimulatorMain.parse(new String[] {"--prot", "1"}))
        .hasMessageContaining("unknown option --prot");
    assertThatThrownBy(() -> EsploraSimulatorMain.parse(new String[] {"--port", "x"}))
        .hasMessageContaining("must be a number");
    assertThatThrownBy(() -> EsploraSimulatorMain.parse(new String[] {"--network", "liquid"}))
        .hasMessageContaining("Unknown Bitcoin network");
    assertThatThrownBy(() -> EsploraSimulatorMain.parse(new String[] {"--port"}))
        .hasMessageContaining("needs a value");
  }

  @Test
  void helpReturnsNoConfiguration() {
    assertThat(EsploraSimulatorMain.parse(new String[] {"--help"})).isNull();
  }
}
