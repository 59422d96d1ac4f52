package com.reservebtc.devstack.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.reservebtc.devstack.chaos.FaultPlan.ChainFault;
import com.reservebtc.devstack.chaos.FaultPlan.Component;
import com.reservebtc.devstack.chaos.FaultPlan.ComponentFault;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FaultPlanTest {

  @Test
  void theSameSeedDrawsTheSamePlanAndAnotherSeedAnother() {
    FaultPlan a = FaultPlan.draw(ChaosOptions.full(7), 2, 12);
    FaultPlan b = FaultPlan.draw(ChaosOptions.full(7), 2, 12);
    FaultPlan c = FaultPlan.draw(ChaosOptions.full(8), 2, 12);

    assertThat(a).isEqualTo(b);
    assertThat(a.describe()).isNotEqualTo(c.describe());
  }

  @Test
  void killsEveryComponentAsOftenAsAskedAndTakesPostgresAwayOnceForTenSecondsOrMore() {
    ChaosOptions options = ChaosOptions.full(11);
    FaultPlan plan = FaultPlan.draw(options, 2, 12);

    Map<Component, Integer> kills = new EnumMap<>(Component.class);
    for (ComponentFault f : plan.components()) {
      if (!f.outage()) {
        f.targets().forEach(t -> kills.merge(t, 1, Integer::sum));
        assertThat(f.targets())
            .doesNotHaveDuplicates()
            .hasSizeLessThanOrEqualTo(options.mostKilledAtOnce());
      }
    }
    assertThat(kills).hasSize(Component.values().length);
    assertThat(kills.values()).containsOnly(options.killsPerComponent());
    assertThat(plan.components().stream().filter(ComponentFault::outage))
        .singleElement()
        .satisfies(
            outage -> {
              assertThat(outage.targets()).containsExactly(Component.POSTGRES);
              assertThat(outage.pause()).isGreaterThanOrEqualTo(Duration.ofSeconds(10));
            });
  }

  @Test
  void reorgsReachBelowTheConfirmedDepthButStayWithinTheWindowAndOneFlipDoesToo() {
    for (long seed = 0; seed < 50; seed++) {
      FaultPlan plan = FaultPlan.draw(ChaosOptions.full(seed), 2, 12);

      assertThat(plan.chain().stream().filter(ChainFault::flipFlop)).hasSize(4);
      assertThat(plan.chain().stream().filter(f -> !f.flipFlop()))
          .hasSize(4)
          .allSatisfy(f -> assertThat(f.depth()).isBetween(3, 10));
      assertThat(plan.chain().stream().filter(ChainFault::flipFlop))
          .anySatisfy(f -> assertThat(f.depth()).isGreaterThan(2))
          .allSatisfy(f -> assertThat(f.depth()).isBetween(1, 4));
    }
  }
}
