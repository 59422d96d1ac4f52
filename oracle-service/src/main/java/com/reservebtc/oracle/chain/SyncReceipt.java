package com.reservebtc.oracle.chain;

import java.math.BigInteger;

/**
 * What a mined sync transaction did.
 *
 * @param success receipt status 1
 * @param blockNumber the block it was mined in
 * @param newBalanceSats the Synced event's new balance, or {@code null} if none was emitted
 * @param deltaSats the Synced event's delta, or {@code null}
 * @param feeWei the Synced event's fee, or {@code null}
 * @param emergencyBurnSats the burned amount when the aggregator emergency-burned instead of
 *     syncing, else {@code null}
 * @param emergencyBurnReason the EmergencyBurn reason, else {@code null}
 */
public record SyncReceipt(
    boolean success,
    long blockNumber,
    Long newBalanceSats,
    Long deltaSats,
    BigInteger feeWei,
    Long emergencyBurnSats,
    String emergencyBurnReason) {

  public boolean emergencyBurn() {
    return emergencyBurnSats != null;
  }
}
