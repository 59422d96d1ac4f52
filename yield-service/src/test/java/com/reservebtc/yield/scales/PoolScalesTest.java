package com.reservebtc.yield.scales;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class PoolScalesTest {

  @Test
  void peakOnlyGrows() {
    PoolScales scales = new PoolScales(0, 0).withSupplyChange(200_000_000);
    assertThat(scales.peakSupplySats()).isEqualTo(200_000_000);
    scales = scales.withSupplyChange(-150_000_000);
    assertThat(scales.totalSupplySats()).isEqualTo(50_000_000);
    assertThat(scales.peakSupplySats()).isEqualTo(200_000_000);
    scales = scales.withSupplyChange(250_000_000);
    assertThat(scales.peakSupplySats()).isEqualTo(300_000_000);
  }

  @Test
  void rateDropsAsSupplyFallsBelowThePeak() {
    PoolScales atPeak = new PoolScales(0, 0).withSupplyChange(200_000_000);
    assertThat(atPeak.rbtcScale()).isEqualTo(BigInteger.valueOf(100));
    assertThat(atPeak.rateBps()).isEqualTo(BigInteger.valueOf(5));
    PoolScales quarter = atPeak.withSupplyChange(-150_000_000);
    assertThat(quarter.rbtcScale()).isEqualTo(BigInteger.valueOf(25));
    // 100 * 25 * 500 / 1e6 = 1.25 -> 1
    assertThat(quarter.rateBps()).isEqualTo(BigInteger.ONE);
  }

  @Test
  void emptyPoolHasNoRate() {
    assertThat(new PoolScales(0, 0).rateBps()).isZero();
    assertThat(new PoolScales(0, 100).rateBps()).isZero();
  }
}
