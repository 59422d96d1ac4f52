package com.reservebtc.yield.participants;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class LedgerFoldTest {

  private static final String USER = "0x" + "ab".repeat(20);
  private static final long T0 = 1_700_000_000L;
  private static final long YEAR = 31_536_000L;

  @Test
  void settlesEachPeriodAtTheRateInForceBeforeTheChange() {
    List<LedgerFold.Step> steps =
        LedgerFold.fold(
            null,
            List.of(
                input(1, EntryKind.MINT, 100_000_000L, T0, 0),
                input(2, EntryKind.MINT, 100_000_000L, T0 + YEAR, 5)));
    Participant after = steps.get(1).after();
    // 1 BTC for a year at 5 bps, Gold (150 %): 75,000.
    assertThat(after.accruedYield()).isEqualTo(BigInteger.valueOf(75_000));
    assertThat(after.contributionSats()).isEqualTo(200_000_000L);
    assertThat(steps.get(1).elapsedSeconds()).isEqualTo(YEAR);
    assertThat(steps.get(1).multiplierPct()).isEqualTo(150);
  }

  @Test
  void eventsBeforeTheFirstMintChangeNothingAndMakeNoParticipant() {
    List<LedgerFold.Step> steps =
        LedgerFold.fold(
            null,
            List.of(
                input(1, EntryKind.CLAIMED, 5, T0, 5),
                input(2, EntryKind.AGGREGATOR_BURN, 5, T0, 5)));
    assertThat(steps).allMatch(s -> s.after() == null);
  }

  @Test
  void anAggregatorBurnZeroesAHoldersContributionUntilTheNextTokenChange() {
    List<LedgerFold.Step> steps =
        LedgerFold.fold(
            null,
            List.of(
                input(1, EntryKind.MINT, 1_000, T0, 0),
                input(2, EntryKind.AGGREGATOR_BURN, 1_000, T0 + 10, 5),
                input(3, EntryKind.MINT, 600, T0 + 20, 5)));
    assertThat(steps.get(1).after().contributionSats()).isZero();
    assertThat(steps.get(1).after().rbtcBalanceSats()).isEqualTo(1_000);
    assertThat(steps.get(2).after().contributionSats()).isEqualTo(1_600);
  }

  @Test
  void notesKeepTheStateAndItsLastEvent() {
    List<LedgerFold.Step> steps =
        LedgerFold.fold(
            null,
            List.of(
                input(1, EntryKind.MINT, 1_000, T0, 0),
                input(2, EntryKind.POOL_BURN, 1_000, T0 + 10, 5)));
    assertThat(steps.get(1).after()).isEqualTo(steps.get(0).after());
    assertThat(steps.get(1).after().lastEventId()).isEqualTo("31337:0x01:0");
  }

  private static LedgerFold.Input input(
      int block, EntryKind kind, long amount, long time, int rateBps) {
    return new LedgerFold.Input(
        new LedgerEntry(
            "31337:0x0" + block + ":0",
            31337,
            block,
            0,
            "0x0" + block,
            "0xblock" + block,
            time,
            USER,
            kind,
            BigInteger.valueOf(amount),
            null,
            null),
        rateBps);
  }
}
