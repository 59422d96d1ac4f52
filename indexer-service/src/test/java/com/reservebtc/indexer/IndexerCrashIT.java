package com.reservebtc.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The indexer killed with SIGKILL in the middle of a stream of blocks loses and repeats nothing.
 */
class IndexerCrashIT extends IndexerTestbed {

  @Test
  void aKilledIndexerResumesWithoutGapsOrDuplicates() throws Exception {
    String user = "0x4000000000000000000000000000000000000004";
    Path output = Files.createTempFile("indexer-child", ".log");
    Process child = startIndexerProcess(output);
    List<TransactionReceipt> deposits = new ArrayList<>();
    try {
      deposits.add(feeVault.depositETH(user, ONE_CENT_ETH).send());
      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () -> {
                assertThat(child.isAlive())
                    .as(() -> "indexer process alive; its output:\n" + tail(output))
                    .isTrue();
                poll();
                assertThat(liveEventsOf(deposits.get(0))).hasSize(1);
              });
      for (int i = 1; i <= 6; i++) {
        deposits.add(feeVault.depositETH(user, ONE_CENT_ETH.add(BigInteger.valueOf(i))).send());
        if (i == 3) {
          // SIGKILL while blocks keep coming: possibly in the middle of a Kafka transaction.
          child.destroyForcibly();
          assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
      }
    } finally {
      if (child.isAlive()) {
        child.destroyForcibly();
        child.waitFor(30, TimeUnit.SECONDS);
      }
      Files.deleteIfExists(output);
    }
    deposits.add(feeVault.depositETH(user, BigInteger.TEN).send());

    ConfigurableApplicationContext restarted = startIndexer();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              poll();
              for (TransactionReceipt deposit : deposits) {
                assertThat(liveEventsOf(deposit)).hasSize(1);
              }
            });
    awaitCaughtUp(restarted);
    poll();
    assertLedgerEqualsCanonicalChain();
  }

  private static String tail(Path output) {
    try {
      List<String> lines = Files.readAllLines(output);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
