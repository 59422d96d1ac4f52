package com.reservebtc.yield.participants;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class PositionTest {

  private static final long T0 = 1_700_000_000L;
  private static final long YEAR = 31_536_000L;
  private static final long DAY = 86_400L;
  private static final BigInteger FIVE_BPS = BigInteger.valueOf(5);

  @Test
  void settlesTheElapsedPeriodAtTheTierReachedAtSettlement() {
    Position joined = new Position(100_000_000, BigInteger.ZERO, T0, T0);
    Position.Accrual accrual = joined.accrueTo(T0 + YEAR, FIVE_BPS);
    // A full year since joining is 365 days: Gold, 150 %: 1e8 * 5 * 150 / 1e6 = 75,000.
    assertThat(accrual.elapsedSeconds()).isEqualTo(YEAR);
    assertThat(accrual.multiplierPct()).isEqualTo(150);
    assertThat(accrual.owed()).isEqualTo(BigInteger.valueOf(75_000));
    assertThat(accrual.after().accruedYield()).isEqualTo(BigInteger.valueOf(75_000));
    assertThat(accrual.after().lastAccrualAt()).isEqualTo(T0 + YEAR);
  }

  @Test
  void accruesOnTopOfEarlierYieldFromTheLastAccrual() {
    Position position = new Position(200_000_000, BigInteger.valueOf(75_000), T0 + YEAR, T0);
    Position.Accrual accrual = position.accrueTo(T0 + YEAR + 1_000, FIVE_BPS);
    // 2e8 * 5 * 1000 * 150 / 3.1536e13 = 4.75 -> 4
    assertThat(accrual.owed()).isEqualTo(BigInteger.valueOf(4));
    assertThat(accrual.after().accruedYield()).isEqualTo(BigInteger.valueOf(75_004));
  }

  @Test
  void silverMultiplierAppliesFrom180Days() {
    Position position = new Position(100_000_000, BigInteger.ZERO, T0, T0);
    Position.Accrual before = position.accrueTo(T0 + 180 * DAY - 1, FIVE_BPS);
    Position.Accrual at = position.accrueTo(T0 + 180 * DAY, FIVE_BPS);
    assertThat(before.multiplierPct()).isEqualTo(110);
    assertThat(at.multiplierPct()).isEqualTo(125);
    // 1e8 * 5 * 15,552,000 * 125 / 3.1536e13 = 30,821.91.. -> 30,821
    assertThat(at.owed()).isEqualTo(BigInteger.valueOf(30_821));
  }

  @Test
  void anEventOlderThanTheLastAccrualSettlesNothingAndKeepsTheClock() {
    Position position = new Position(100_000_000, BigInteger.TEN, T0 + 500, T0);
    Position.Accrual accrual = position.accrueTo(T0 + 100, FIVE_BPS);
    assertThat(accrual.elapsedSeconds()).isZero();
    assertThat(accrual.owed()).isZero();
    assertThat(accrual.after()).isEqualTo(position);
  }

  @Test
  void zeroBaseOrZeroRateOwesNothing() {
    assertThat(new Position(0, BigInteger.ZERO, T0, T0).accrueTo(T0 + YEAR, FIVE_BPS).owed())
        .isZero();
    assertThat(
            new Position(100_000_000, BigInteger.ZERO, T0, T0)
                .accrueTo(T0 + YEAR, BigInteger.ZERO)
                .owed())
        .isZero();
  }
}
