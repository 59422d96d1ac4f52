package com.reservebtc.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.reservebtc.indexer.load.ChainLoad;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The indexer killed with SIGKILL at random points while it backfills and follows a chain of more
 * than 10,000 protocol events loses and repeats nothing, also while a contract added between two
 * runs is being caught up. Kill points are drawn from a seed that is logged; run again with {@code
 * -Drbtc.crash.seed=<seed>} to repeat them.
 */
class IndexerCrashIT extends IndexerTestbed {

  private static final Logger log = LoggerFactory.getLogger(IndexerCrashIT.class);
  private static final int KILLS = 3;

  @Test
  void killedAtRandomPointsTheIndexerPublishesEveryEventExactlyOnce() throws Exception {
    long seed = Long.getLong("rbtc.crash.seed", System.nanoTime());
    log.info("Kill points drawn from seed {} (-Drbtc.crash.seed={} repeats them)", seed, seed);
    Random random = new Random(seed);
    ExecutorService generator = Executors.newSingleThreadExecutor();
    try (ChainLoad load = new ChainLoad(anvil.rpcUrl(), anvil.chainId(), deployment, seed)) {
      // Deep history first, packed 150 transactions to a block, for the indexers to backfill.
      ChainLoad.Generated history = load.generate(6_000, 150);
      long deposits = history.deposits();
      long syncs = history.syncs();
      // The first run indexes only the fee vault and the synth; the aggregator is added later and
      // has to be caught up while the indexer keeps being killed.
      Map<String, String> partial =
          onlyContracts(
              Map.of(deployment.feeVault(), "FEE_VAULT", deployment.synth(), "RBTC_SYNTH"));
      Map<String, String> small =
          Map.of(
              "rbtc.indexer.max-records-per-transaction", "400",
              "rbtc.indexer.target-logs-per-request", "300",
              "rbtc.indexer.fetch-concurrency", "3");
      for (int run = 0; run < KILLS; run++) {
        // More blocks arrive while this run indexes, 30 transactions each.
        Future<ChainLoad.Generated> more = generator.submit(() -> load.generate(1_500, 30));
        Map<String, String> overrides = new java.util.HashMap<>(small);
        if (run == 0) {
          overrides.putAll(partial);
        }
        long available = run == 0 ? deposits + 2 * (syncs + 500) : deposits + 3 * (syncs + 500);
        pollToEnd();
        long before = liveChainRecords();
        long killAt = before + 1 + (long) (random.nextDouble() * 0.8 * (available - before));
        Path output = Files.createTempFile("indexer-child", ".log");
        Process child = startIndexerProcess(output, overrides);
        try {
          await()
              .atMost(Duration.ofSeconds(120))
              .pollInterval(Duration.ofMillis(20))
              .untilAsserted(
                  () -> {
                    assertThat(child.isAlive())
                        .as(() -> "indexer process alive; its output:\n" + tail(output))
                        .isTrue();
                    poll();
                    assertThat(liveChainRecords()).isGreaterThanOrEqualTo(killAt);
                  });
          child.destroyForcibly();
          assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
          log.info(
              "Run {} killed with {} live records seen (aimed at {})",
              run,
              liveChainRecords(),
              killAt);
        } finally {
          if (child.isAlive()) {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
          }
          Files.deleteIfExists(output);
        }
        ChainLoad.Generated added = more.get(120, TimeUnit.SECONDS);
        deposits += added.deposits();
        syncs += added.syncs();
      }
      assertThat(deposits + 3 * syncs).isGreaterThanOrEqualTo(10_000);

      ConfigurableApplicationContext last = startIndexer(small);
      awaitCaughtUp(last);
      awaitCatchUpDone(last);
      pollToEnd();
      assertLedgerEqualsCanonicalChain();
      assertThat(liveChainRecords()).isEqualTo(deposits + 3 * syncs);
      assertThat(seen.stream().filter(r -> isChainTopic(r.topic())))
          .noneMatch(r -> logOf(r.value()).getRetracted());
    } finally {
      generator.shutdownNow();
    }
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
