package com.reservebtc.emergency.risk;

import java.math.BigInteger;
import java.util.Objects;

/**
 * The at-risk rule: a user who holds rBTC-SYNTH but whose fee vault cannot pay the fixed fee of a
 * downward sync loses the whole balance to an emergency burn at their next decrease. It says
 * nothing about upward syncs, which revert instead of burning.
 *
 * @param fixedFeeWei the fee of a downward sync (FeePolicy fixedWei)
 */
record RiskRule(BigInteger fixedFeeWei) {

  RiskRule {
    Objects.requireNonNull(fixedFeeWei, "fixedFeeWei");
  }

  boolean atRisk(long rbtcBalanceSats, BigInteger feeVaultBalanceWei) {
    return rbtcBalanceSats > 0 && feeVaultBalanceWei.compareTo(fixedFeeWei) < 0;
  }
}
