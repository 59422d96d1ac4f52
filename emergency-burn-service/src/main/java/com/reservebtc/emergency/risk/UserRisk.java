package com.reservebtc.emergency.risk;

import java.math.BigInteger;

/** A user's row of {@code user_risk}. */
record UserRisk(String user, long rbtcBalanceSats, BigInteger feeVaultBalanceWei, boolean atRisk) {}
