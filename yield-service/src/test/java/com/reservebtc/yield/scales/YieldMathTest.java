package com.reservebtc.yield.scales;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class YieldMathTest {

  private static BigInteger big(long value) {
    return BigInteger.valueOf(value);
  }

  @Test
  void rbtcScaleIsSupplyAsPercentOfPeakRoundedDown() {
    assertThat(YieldMath.rbtcScale(big(100_000_000), big(100_000_000))).isEqualTo(big(100));
    assertThat(YieldMath.rbtcScale(big(50_000_000), big(200_000_000))).isEqualTo(big(25));
    // 2/3 of the peak: 66.66.. -> 66
    assertThat(YieldMath.rbtcScale(big(2), big(3))).isEqualTo(big(66));
  }

  @Test
  void rbtcScaleIsZeroBeforeAnySupplyExisted() {
    assertThat(YieldMath.rbtcScale(BigInteger.ZERO, BigInteger.ZERO)).isZero();
  }

  @Test
  void rateFollowsTheScalesFormula() {
    // usdtScale 100 * rbtcScale 100 * 500 / 1e6 = 5 bps at the peak
    assertThat(YieldMath.rateBps(big(100))).isEqualTo(big(5));
    // 100 * 50 * 500 = 2,500,000 / 1e6 = 2.5 -> 2
    assertThat(YieldMath.rateBps(big(50))).isEqualTo(big(2));
    // 100 * 20 * 500 = 1,000,000 -> exactly 1; one less rounds to 0
    assertThat(YieldMath.rateBps(big(20))).isEqualTo(big(1));
    assertThat(YieldMath.rateBps(big(19))).isZero();
  }

  @Test
  void rateIsCappedAt2000Bps() {
    // Only a scale far above 100 (not reachable from supply/peak) hits the cap: 100*40000*500/1e6.
    assertThat(YieldMath.rateBps(big(40_000))).isEqualTo(big(2000));
    assertThat(YieldMath.rateBps(big(39_999))).isEqualTo(big(1999));
    assertThat(YieldMath.rateBps(big(1_000_000))).isEqualTo(big(2000));
  }

  @Test
  void owedForOneYearAtBronze() {
    // 1 BTC * 5 bps * 1 year * 110 % = 1e8 * 5 * 31,536,000 * 110 / (10000 * 31,536,000 * 100)
    assertThat(YieldMath.owed(big(100_000_000), big(5), 31_536_000, 110)).isEqualTo(big(55_000));
  }

  @Test
  void owedForHalfAYearAtGold() {
    assertThat(YieldMath.owed(big(100_000_000), big(5), 15_768_000, 150)).isEqualTo(big(37_500));
  }

  @Test
  void owedRoundsDownLikeTheContract() {
    // 1000 * 5 * 86400 * 110 = 47,520,000,000 / 31,536,000,000,000 = 0.0015 -> 0
    assertThat(YieldMath.owed(big(1_000), big(5), 86_400, 110)).isZero();
    // 2e8 * 5 * 1000 * 150 = 1.5e14 / 3.1536e13 = 4.756 -> 4
    assertThat(YieldMath.owed(big(200_000_000), big(5), 1_000, 150)).isEqualTo(big(4));
  }

  @Test
  void owedIsExactBeyondLongRange() {
    // A trader's virtual USDT (18 decimals) times a capped rate over ten years overflows a long.
    BigInteger base = new BigInteger("1000000000000000000000000"); // 1e24
    BigInteger expected =
        base.multiply(big(2000))
            .multiply(big(315_360_000))
            .multiply(big(150))
            .divide(big(10_000).multiply(big(31_536_000)).multiply(big(100)));
    assertThat(YieldMath.owed(base, big(2000), 315_360_000, 150))
        .isEqualTo(expected)
        .isEqualTo(new BigInteger("3000000000000000000000000"));
  }

  @Test
  void rejectsNegativeInputs() {
    assertThatThrownBy(() -> YieldMath.owed(big(-1), big(5), 1, 110))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> YieldMath.owed(big(1), big(5), -1, 110))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
