package com.reservebtc.esplora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {
  private static final String ALICE = TestAddresses.p2wpkh(1);

  @TempDir Path dir;

  @Test
  void writesAndLoadsTheWholeChainLeavingNoTemporaryFiles() throws IOException {
    ChainState chain = ChainState.genesis(Network.REGTEST, Clock.systemUTC());
    chain.fund(List.of(new TxOut(ALICE, 12_345)));
    chain.mine(2, ALICE);
    chain.fund(List.of(new TxOut(ALICE, 1)));
    StateFile file = new StateFile(dir.resolve("nested/chain.json"));

    file.write(chain.snapshot());

    assertThat(new StateFile(file.path()).load()).contains(chain.snapshot());
    try (Stream<Path> files = Files.list(file.path().getParent())) {
      assertThat(files).containsExactly(file.path());
    }
  }

  @Test
  void neverOverwritesANewerSnapshotWithAnOlderOne() {
    ChainState chain = ChainState.genesis(Network.REGTEST, Clock.systemUTC());
    StateSnapshot older = chain.snapshot();
    chain.mine(1, null);
    StateSnapshot newer = chain.snapshot();
    StateFile file = new StateFile(dir.resolve("chain.json"));

    file.write(newer);
    file.write(older);

    assertThat(file.load()).contains(newer);
  }

  @Test
  void missingFileMeansAFreshChain() {
    assertThat(new StateFile(dir.resolve("absent.json")).load()).isEmpty();
  }

  @Test
  void aCorruptFileStopsTheLoadInsteadOfStartingEmpty() throws IOException {
    Path path = dir.resolve("chain.json");
    Files.writeString(path, "{\"format\":1,\"network\":\"regtest\",\"blocks\":[");

    assertThatThrownBy(() -> new StateFile(path).load())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not a valid simulator state");
  }
}
