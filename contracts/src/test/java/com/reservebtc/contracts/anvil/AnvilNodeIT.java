package com.reservebtc.contracts.anvil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;

class AnvilNodeIT {

  @Test
  void startsOnAFreeLoopbackPortAndStopsItsProcessOnClose() throws Exception {
    long pid;
    try (AnvilNode node = AnvilNode.start()) {
      pid = node.pid();
      assertThat(node.rpcUrl()).isEqualTo("http://127.0.0.1:" + node.port());
      assertThat(node.chainId()).isEqualTo(31337);
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
      Web3j web3j = Web3j.build(new HttpService(node.rpcUrl()));
      try {
        assertThat(web3j.ethAccounts().send().getAccounts())
            .startsWith(
                AnvilNode.DEV_ACCOUNT_0_ADDRESS,
                AnvilNode.DEV_ACCOUNT_1_ADDRESS,
                AnvilNode.DEV_ACCOUNT_2_ADDRESS);
      } finally {
        web3j.shutdown();
      }
    }

    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  @Test
  void minesOnItsOwnWithABlockTimeAndReportsTheConfiguredChainId() throws Exception {
    try (AnvilNode node =
        AnvilNode.builder().chainId(6342).blockTime(Duration.ofMillis(200)).start()) {
      Web3j web3j = Web3j.build(new HttpService(node.rpcUrl()));
      try {
        assertThat(web3j.ethChainId().send().getChainId()).isEqualTo(BigInteger.valueOf(6342));
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> web3j.ethBlockNumber().send().getBlockNumber().longValue() >= 3);
      } finally {
        web3j.shutdown();
      }
    }
  }

  @Test
  void keepsTheChainInItsStateFileAcrossRestarts(@TempDir Path dir) throws Exception {
    Path state = dir.resolve("anvil-state.json");
    try (AnvilNode node = AnvilNode.builder().stateFile(state).start()) {
      HttpService http = new HttpService(node.rpcUrl());
      for (int i = 0; i < 3; i++) {
        new Request<>("evm_mine", List.of(), http, VoidResponse.class).send();
      }
      http.close();
    }

    try (AnvilNode restarted = AnvilNode.builder().stateFile(state).start()) {
      Web3j web3j = Web3j.build(new HttpService(restarted.rpcUrl()));
      try {
        assertThat(web3j.ethBlockNumber().send().getBlockNumber()).isEqualTo(BigInteger.valueOf(3));
      } finally {
        web3j.shutdown();
      }
    }
  }

  @Test
  void aTakenPortIsAClearStartupError() throws IOException {
    try (ServerSocket taken = new ServerSocket(0)) {
      assertThatThrownBy(() -> AnvilNode.builder().port(taken.getLocalPort()).start())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(Integer.toString(taken.getLocalPort()))
          .hasMessageContaining("Address already in use");
    }
  }

  @Test
  void aBinaryThatNeverAnswersTimesOutWithInstallAdvice(@TempDir Path dir) throws IOException {
    Path fake = dir.resolve("anvil");
    java.nio.file.Files.writeString(fake, "#!/bin/sh\nexec sleep 30\n");
    fake.toFile().setExecutable(true);

    assertThatThrownBy(
            () -> AnvilNode.builder().binary(fake).startupTimeout(Duration.ofMillis(500)).start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("did not answer eth_chainId")
        .hasMessageContaining("npm ci");
  }
}
