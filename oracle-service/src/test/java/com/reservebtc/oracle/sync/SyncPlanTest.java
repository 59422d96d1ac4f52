package com.reservebtc.oracle.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.reservebtc.oracle.chain.FeeSchedule;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class SyncPlanTest {

  /** SPEC §1 deployed values: 1 %, 0.001 ETH fixed, 1e12 wei per sat, cap 0.01 ETH. */
  private static final FeeSchedule DEPLOYED =
      new FeeSchedule(
          BigInteger.valueOf(100),
          BigInteger.TEN.pow(15),
          BigInteger.TEN.pow(12),
          BigInteger.TEN.pow(16));

  @Test
  void quotesTheSpecExamples() {
    assertThat(DEPLOYED.quote(50_000)).isEqualTo(new BigInteger("1500000000000000"));
    assertThat(DEPLOYED.quote(900_000)).isEqualTo(BigInteger.TEN.pow(16));
    assertThat(DEPLOYED.quote(-10_000)).isEqualTo(BigInteger.TEN.pow(15));
    assertThat(DEPLOYED.withinCap(900_000)).isTrue();
    assertThat(DEPLOYED.withinCap(900_001)).isFalse();
  }

  @Test
  void largestDeltaWithinTheCapIs900000() {
    assertThat(DEPLOYED.maxUpwardDelta()).isEqualTo(900_000);
  }

  @Test
  void maxUpwardDeltaIsExactForOddParameters() {
    FeeSchedule odd =
        new FeeSchedule(
            BigInteger.valueOf(37),
            BigInteger.valueOf(999),
            BigInteger.valueOf(7_777),
            BigInteger.valueOf(5_000_000));
    long max = odd.maxUpwardDelta();
    assertThat(odd.withinCap(max)).isTrue();
    assertThat(odd.withinCap(max + 1)).isFalse();
  }

  @Test
  void plus900000IsOneSync() {
    SyncPlan plan = SyncPlan.of(0, 900_000, DEPLOYED.maxUpwardDelta(), 10);

    assertThat(plan.steps()).containsExactly(900_000L);
    assertThat(plan.isSplit()).isFalse();
  }

  @Test
  void plus900001IsSplitIntoSyncsThatEachFitTheCap() {
    SyncPlan plan = SyncPlan.of(0, 900_001, DEPLOYED.maxUpwardDelta(), 10);

    assertThat(plan.steps()).containsExactly(900_000L, 900_001L);
    assertThat(plan.isSplit()).isTrue();
    assertThat(plan.truncated()).isFalse();
    long previous = 0;
    for (long step : plan.steps()) {
      assertThat(DEPLOYED.withinCap(step - previous)).isTrue();
      previous = step;
    }
  }

  @Test
  void splitsFromANonZeroStart() {
    SyncPlan plan = SyncPlan.of(100_000, 2_000_000, DEPLOYED.maxUpwardDelta(), 10);

    assertThat(plan.steps()).containsExactly(1_000_000L, 1_900_000L, 2_000_000L);
  }

  @Test
  void stopsAtMaxStepsAndSaysSo() {
    SyncPlan plan = SyncPlan.of(0, 10_000_000, DEPLOYED.maxUpwardDelta(), 3);

    assertThat(plan.steps()).containsExactly(900_000L, 1_800_000L, 2_700_000L);
    assertThat(plan.truncated()).isTrue();
  }

  @Test
  void aFixedFeeOnlyPolicyMintsAnyIncreaseInOneSync() {
    FeeSchedule fixedOnly =
        new FeeSchedule(
            BigInteger.valueOf(100),
            BigInteger.TEN.pow(15),
            BigInteger.ZERO,
            BigInteger.TEN.pow(16));
    SyncPlan plan = SyncPlan.of(0, 2_100_000_000_000_000L, fixedOnly.maxUpwardDelta(), 10);
    assertThat(plan.steps()).containsExactly(2_100_000_000_000_000L);
    assertThat(plan.isSplit()).isFalse();
  }

  @Test
  void aDecreaseIsOneSyncAndNoChangeIsNone() {
    assertThat(SyncPlan.of(5_000_000, 1, DEPLOYED.maxUpwardDelta(), 10).steps())
        .containsExactly(1L);
    assertThat(SyncPlan.of(5_000_000, 0, DEPLOYED.maxUpwardDelta(), 10).steps())
        .containsExactly(0L);
    assertThat(SyncPlan.of(42, 42, DEPLOYED.maxUpwardDelta(), 10).steps()).isEmpty();
  }

  @Test
  void refusesToPlanWhenTheFixedFeeAloneExceedsTheCap() {
    FeeSchedule broken =
        new FeeSchedule(
            BigInteger.ONE, BigInteger.TEN.pow(17), BigInteger.ONE, BigInteger.TEN.pow(16));

    assertThat(broken.maxUpwardDelta()).isZero();
    assertThatThrownBy(() -> SyncPlan.of(0, 1, broken.maxUpwardDelta(), 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fee cap");
  }
}
