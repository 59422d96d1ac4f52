package com.reservebtc.oracle.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class FeeScheduleTest {

  private static final BigInteger FIXED = BigInteger.TEN.pow(15);
  private static final BigInteger CAP = BigInteger.TEN.pow(16);

  @Test
  void theDeployedParametersAllowNineHundredThousandSatsPerSync() {
    FeeSchedule deployed =
        new FeeSchedule(BigInteger.valueOf(100), FIXED, BigInteger.TEN.pow(12), CAP);
    assertThat(deployed.quote(50_000)).isEqualTo(new BigInteger("1500000000000000"));
    assertThat(deployed.quote(-10_000)).isEqualTo(FIXED);
    assertThat(deployed.maxUpwardDelta()).isEqualTo(900_000);
    assertThat(deployed.withinCap(900_000)).isTrue();
    assertThat(deployed.withinCap(900_001)).isFalse();
  }

  @Test
  void aFixedFeeOnlyPolicyNeverSplitsAnIncrease() {
    for (FeeSchedule fixedOnly :
        new FeeSchedule[] {
          new FeeSchedule(BigInteger.valueOf(100), FIXED, BigInteger.ZERO, CAP),
          new FeeSchedule(BigInteger.ZERO, FIXED, BigInteger.TEN.pow(12), CAP)
        }) {
      assertThat(fixedOnly.quote(2_100_000_000_000_000L)).isEqualTo(FIXED);
      assertThat(fixedOnly.maxUpwardDelta()).isEqualTo(Long.MAX_VALUE);
    }
  }

  @Test
  void aPolicyWithoutFeesChargesNothing() {
    FeeSchedule free =
        new FeeSchedule(BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ONE);
    assertThat(free.quote(1_000_000)).isZero();
    assertThat(free.quote(-1_000_000)).isZero();
    assertThat(free.maxUpwardDelta()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void aFixedFeeAboveTheCapAllowsNoSync() {
    FeeSchedule impossible =
        new FeeSchedule(BigInteger.ZERO, CAP.add(BigInteger.ONE), BigInteger.ZERO, CAP);
    assertThat(impossible.maxUpwardDelta()).isZero();
  }
}
