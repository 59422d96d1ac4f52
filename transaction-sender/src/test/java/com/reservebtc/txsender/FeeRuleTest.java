package com.reservebtc.txsender;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FeeRuleTest {

  private static final BigInteger GWEI = BigInteger.TEN.pow(9);
  private static final FeeRule RULE =
      new FeeRule(SenderSettings.defaults(1).withMaxFeePerGasWei(gwei(100)));

  @Test
  void aNewTransactionOffersTwiceTheBaseFeePlusTheSuggestedPriority() {
    Fees fees = RULE.initial(new FeeRule.NodeFees(gwei(10), gwei(2), null)).orElseThrow();
    assertThat(fees).isEqualTo(new Fees.Dynamic(gwei(22), gwei(2)));
  }

  @Test
  void aNewTransactionNeverOffersMoreThanTheCap() {
    Fees fees = RULE.initial(new FeeRule.NodeFees(gwei(60), gwei(5), null)).orElseThrow();
    assertThat(fees).isEqualTo(new Fees.Dynamic(gwei(100), gwei(5)));
    // The priority fee is part of the max fee, so it cannot exceed it either.
    Fees squeezed = RULE.initial(new FeeRule.NodeFees(gwei(99), gwei(300), null)).orElseThrow();
    assertThat(squeezed).isEqualTo(new Fees.Dynamic(gwei(100), gwei(100)));
  }

  @Test
  void nothingIsPricedWhenTheBaseFeeIsAboveTheCap() {
    assertThat(RULE.initial(new FeeRule.NodeFees(gwei(101), gwei(1), null))).isEmpty();
    assertThat(RULE.initial(new FeeRule.NodeFees(gwei(100), gwei(1), null)))
        .contains(new Fees.Dynamic(gwei(100), gwei(1)));
  }

  @Test
  void aLegacyNodeGetsItsGasPriceCapped() {
    assertThat(RULE.initial(new FeeRule.NodeFees(null, null, gwei(7))))
        .contains(new Fees.Legacy(gwei(7)));
    assertThat(RULE.initial(new FeeRule.NodeFees(null, null, gwei(700))))
        .contains(new Fees.Legacy(gwei(100)));
  }

  @Test
  void aReplacementRaisesBothFieldsByAtLeastTheBumpRoundedUp() {
    Fees old = new Fees.Dynamic(BigInteger.valueOf(1001), BigInteger.valueOf(9));
    Fees bumped =
        RULE.bump(old, new FeeRule.NodeFees(BigInteger.ONE, BigInteger.ONE, null)).orElseThrow();
    // 1001 * 1.125 = 1126.125 -> 1127; 9 * 1.125 = 10.125 -> 11.
    assertThat(bumped)
        .isEqualTo(new Fees.Dynamic(BigInteger.valueOf(1127), BigInteger.valueOf(11)));
  }

  @Test
  void aZeroPriorityIsRaisedByAtLeastOneWeiBecauseNodesDemandAStrictIncrease() {
    Fees old = new Fees.Dynamic(gwei(1), BigInteger.ZERO);
    Fees.Dynamic bumped =
        (Fees.Dynamic)
            RULE.bump(old, new FeeRule.NodeFees(BigInteger.ONE, BigInteger.ZERO, null))
                .orElseThrow();
    assertThat(bumped.maxPriorityFeePerGas()).isEqualTo(BigInteger.ONE);
    assertThat(RULE.bumped(BigInteger.ZERO)).isEqualTo(BigInteger.ONE);
  }

  @Test
  void aReplacementFollowsARisenBaseFeeButStaysUnderTheCap() {
    Fees old = new Fees.Dynamic(gwei(3), gwei(1));
    assertThat(RULE.bump(old, new FeeRule.NodeFees(gwei(30), gwei(1), null)))
        .contains(new Fees.Dynamic(new BigInteger("61125000000"), new BigInteger("1125000000")));
    assertThat(RULE.bump(old, new FeeRule.NodeFees(gwei(80), gwei(1), null)))
        .contains(new Fees.Dynamic(gwei(100), new BigInteger("1125000000")));
  }

  @Test
  void thereIsNoReplacementWhenTheCapLeavesLessThanTheBump() {
    Fees old = new Fees.Dynamic(gwei(90), gwei(1));
    // 90 * 1.125 = 101.25 gwei > the 100 gwei cap.
    assertThat(RULE.bump(old, new FeeRule.NodeFees(gwei(95), gwei(1), null))).isEmpty();
    Fees atCap = new Fees.Dynamic(gwei(100), gwei(100));
    assertThat(RULE.bump(atCap, new FeeRule.NodeFees(gwei(1), gwei(1), null))).isEmpty();
  }

  @Test
  void repeatedBumpsAreBoundedByTheCap() {
    Fees fees = new Fees.Dynamic(gwei(1), gwei(1));
    int replacements = 0;
    Optional<Fees> next;
    while ((next = RULE.bump(fees, new FeeRule.NodeFees(gwei(1), gwei(1), null))).isPresent()) {
      assertThat(next.get().maxPerGas()).isLessThanOrEqualTo(gwei(100));
      assertThat(next.get().maxPerGas()).isGreaterThanOrEqualTo(RULE.bumped(fees.maxPerGas()));
      fees = next.get();
      replacements++;
    }
    // Each bump is at least 12.5 % and ln(100) / ln(1.125) = 39.1: the cap ends the bumps after a
    // bounded number of replacements, the last one within one bump of the cap.
    assertThat(replacements).isBetween(1, 39);
    assertThat(RULE.bumped(fees.maxPerGas())).isGreaterThan(gwei(100));
  }

  @Test
  void aLegacyReplacementBumpsTheGasPrice() {
    assertThat(RULE.bump(new Fees.Legacy(gwei(8)), new FeeRule.NodeFees(null, null, gwei(8))))
        .contains(new Fees.Legacy(gwei(9)));
    assertThat(RULE.bump(new Fees.Legacy(gwei(95)), new FeeRule.NodeFees(null, null, gwei(8))))
        .isEmpty();
  }

  private static BigInteger gwei(long n) {
    return GWEI.multiply(BigInteger.valueOf(n));
  }
}
