package com.reservebtc.txsender;

import java.math.BigInteger;
import java.time.Duration;

/**
 * The {@code rbtc.tx.*} settings of a service that signs, as configured: every value may be left
 * unset ({@code null}), and {@link SenderSettings} applies its documented default. A service binds
 * it from its environment (Spring's {@code Binder.get(env).bindOrCreate("rbtc.tx",
 * TxSettings.class)}) and adds its chain id with {@link #forChain}.
 */
public record TxSettings(
    BigInteger maxFeePerGasWei,
    Integer baseFeeMultiplier,
    Duration replaceAfter,
    Integer replacementBumpBps,
    Integer receiptConfirmations,
    Duration pollInterval,
    Duration awaitTimeout,
    Integer gasHeadroomPercent) {

  /** Every value unset: all defaults. */
  public static TxSettings unset() {
    return new TxSettings(null, null, null, null, null, null, null, null);
  }

  /** The sender's settings for {@code chainId}, defaults filled in and checked. */
  public SenderSettings forChain(long chainId) {
    return new SenderSettings(
        chainId,
        maxFeePerGasWei,
        baseFeeMultiplier,
        replaceAfter,
        replacementBumpBps,
        receiptConfirmations,
        pollInterval,
        awaitTimeout,
        gasHeadroomPercent);
  }
}
