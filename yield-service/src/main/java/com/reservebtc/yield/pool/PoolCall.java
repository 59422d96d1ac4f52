package com.reservebtc.yield.pool;

import java.math.BigInteger;

/** A pool call that brings one holder's on-chain contribution in step. */
sealed interface PoolCall {

  String user();

  /** The call as an operator reads it, e.g. {@code updateRBTCContribution(0xab…, 80000)}. */
  String text();

  /** Sets the contribution to the holder's balance. */
  record Update(String user, long amount) implements PoolCall {
    @Override
    public String text() {
      return "updateRBTCContribution(" + user + ", " + amount + ")";
    }
  }

  /**
   * Tells the pool of an aggregator emergency burn: removes what the pool holds, as the aggregator
   * burned the whole balance.
   *
   * @param burnEventId the aggregator's EmergencyBurn event this mirrors
   */
  record EmergencyBurn(String user, BigInteger amount, String burnEventId) implements PoolCall {
    @Override
    public String text() {
      return "emergencyBurn(" + user + ", " + amount + ")";
    }
  }
}
