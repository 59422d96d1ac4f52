package com.reservebtc.devstack.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.reservebtc.devstack.chaos.ChainEvent.ContractKind;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogKeyedComparisonTest {

  private static final String USER = "0x" + "a".repeat(40);
  private static final String TX = "0x" + "1".repeat(64);
  private static final String BLOCK_A = "0x" + "a".repeat(64);
  private static final String BLOCK_B = "0x" + "b".repeat(64);

  private static final ChainEvent DEPOSIT =
      new ChainEvent(
          31337,
          ContractKind.FEE_VAULT,
          "Deposited",
          10,
          BLOCK_A,
          TX,
          0,
          List.of(USER),
          List.of(BigInteger.TEN),
          null);

  private static Verification verification(Map<String, String> orphaned) {
    return new Verification(
        ChainTruth.of(31337, 20, "0x" + "f".repeat(64), List.of(DEPOSIT)),
        ExpectedFinality.byDepth(20, 2, 12),
        null,
        List.of(),
        orphaned,
        null,
        null,
        null,
        Map.of(),
        null);
  }

  private static List<Mismatch> compare(Verification v, List<LogKeyedComparison.Row> rows) {
    return LogKeyedComparison.compare(
        "table", v, List.of(DEPOSIT), rows, e -> Map.of("amount", e.number(0).toString()));
  }

  @Test
  void aCanonicalLogWithItsValuesOnceIsNoMismatch() {
    List<Mismatch> found =
        compare(
            verification(Map.of()),
            List.of(
                new LogKeyedComparison.Row(DEPOSIT.eventId(), BLOCK_A, Map.of("amount", "10"))));

    assertThat(found).isEmpty();
  }

  @Test
  void reportsAMissingLogAndOneHeldTwice() {
    assertThat(compare(verification(Map.of()), List.of()))
        .singleElement()
        .satisfies(m -> assertThat(m.found()).isEqualTo("none"));
    LogKeyedComparison.Row row =
        new LogKeyedComparison.Row(DEPOSIT.eventId(), BLOCK_A, Map.of("amount", "10"));
    assertThat(compare(verification(Map.of()), List.of(row, row)))
        .singleElement()
        .satisfies(m -> assertThat(m.found()).isEqualTo("2 rows"));
  }

  @Test
  void namesTheFaultThatRetractedARowStillHeldFromAnOrphanedBlock() {
    String orphan = DEPOSIT.eventId() + "@" + BLOCK_B;
    List<Mismatch> found =
        compare(
            verification(Map.of(orphan, "reorg #1 at 0:12.0")),
            List.of(
                new LogKeyedComparison.Row(DEPOSIT.eventId(), BLOCK_B, Map.of("amount", "10"))));

    assertThat(found)
        .singleElement()
        .satisfies(
            m ->
                assertThat(m.found()).contains(BLOCK_B).contains("retracted").contains("reorg #1"));
  }

  @Test
  void reportsAWrongValueAndARowOfALogTheChainDoesNotHave() {
    String stray = "31337:0x" + "2".repeat(64) + ":3";
    List<Mismatch> found =
        compare(
            verification(Map.of()),
            List.of(
                new LogKeyedComparison.Row(DEPOSIT.eventId(), BLOCK_A, Map.of("amount", "11")),
                new LogKeyedComparison.Row(stray, BLOCK_A, Map.of("amount", "1"))));

    assertThat(found).hasSize(2);
    assertThat(found.get(0).expected()).isEqualTo("amount = 10");
    assertThat(found.get(0).found()).isEqualTo("amount = 11");
    assertThat(found.get(1).subject()).isEqualTo(stray + "@" + BLOCK_A);
    assertThat(found.get(1).expected()).contains("not on the canonical chain");
  }
}
