package com.reservebtc.devstack.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.reservebtc.devstack.DevStack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole-stack fault test at CI size ({@link ChaosOptions#ci}): the same code as {@code
 * devstack/chaos/run} on its own stack — every event family, every service, the broker and
 * PostgreSQL killed with SIGKILL and restarted, a PostgreSQL outage of 10 s, an A→B→A flip with
 * repeated block hashes and a reorg below the CONFIRMED depth — after which every read model must
 * equal the chain, hold every canonical event exactly once and no retracted one, with no
 * dead-lettered record and finality labels matching the frozen head. The report is written to
 * {@code target/chaos-results.md}.
 */
class ChaosEndToEndIT {

  /** Fixed, so that a failure can be repeated with {@code devstack/chaos/run --size ci --seed}. */
  private static final long SEED = 20260512L;

  @Test
  @Timeout(900)
  void everyReadModelEqualsTheChainAfterKillsOutagesAndFlips() throws IOException {
    Path dataDir = Path.of("target", "chaos-stack");
    ChaosReport report;
    try (DevStack stack =
        DevStack.start(
            ChaosMain.stackOptions(
                Path.of("..", "..").toAbsolutePath().normalize(), dataDir, System.out))) {
      report =
          ChaosRun.run(
              stack,
              ChaosOptions.ci(SEED),
              System.out,
              "devstack/chaos/run --size ci --seed " + SEED);
    }
    Files.writeString(
        Path.of("target", "chaos-results.md"), report.markdown(), StandardCharsets.UTF_8);

    assertThat(report.eventsByFamily().keySet())
        .as("every event family on the chain")
        .contains(
            "OracleAggregator.Synced (mint)",
            "OracleAggregator.Synced (burn)",
            "OracleAggregator.EmergencyBurn",
            "FeeVault.Deposited",
            "FeeVault.Spent",
            "FeeVault.Withdrawn",
            "VaultWrBTC.Wrapped",
            "VaultWrBTC.Redeemed",
            "VaultWrBTC.Transfer (move)",
            "YieldScalesPool.ParticipantJoined",
            "YieldScalesPool.YieldCalculated",
            "YieldScalesPool.BalanceDisputed");
    assertThat(report.faults())
        .extracting(Journal.Entry::kind)
        .contains("kill -9", "outage", "anvil_reorg", "A→B→A");
    assertThat(report.problems()).as("problems of the run itself").isEmpty();
    assertThat(report.mismatchLines()).as("read models against the chain").isEmpty();
  }
}
