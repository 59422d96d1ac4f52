package com.reservebtc.emergency.risk;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class RiskRuleTest {

  private static final BigInteger FIXED_FEE = new BigInteger("1000000000000000");
  private final RiskRule rule = new RiskRule(FIXED_FEE);

  @Test
  void holderWhoseVaultCannotPayTheDownwardFeeIsAtRisk() {
    assertThat(rule.atRisk(50_000, FIXED_FEE.subtract(BigInteger.ONE))).isTrue();
    assertThat(rule.atRisk(1, BigInteger.ZERO)).isTrue();
  }

  @Test
  void vaultHoldingExactlyTheFeeIsSafeBecauseTheContractChecksBalanceBelowFee() {
    assertThat(rule.atRisk(50_000, FIXED_FEE)).isFalse();
    assertThat(rule.atRisk(50_000, FIXED_FEE.add(BigInteger.ONE))).isFalse();
  }

  @Test
  void userWithoutRbtcHasNothingToBurn() {
    assertThat(rule.atRisk(0, BigInteger.ZERO)).isFalse();
  }

  @Test
  void vaultBelowZeroFromIncompleteHistoryCountsAsAtRisk() {
    assertThat(rule.atRisk(10, BigInteger.valueOf(-5))).isTrue();
  }
}
