package com.reservebtc.yield.pool;

import com.reservebtc.txsender.SenderSettings;
import java.math.BigInteger;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the pool oracle key's transactions are priced, awaited and replaced (see {@link
 * SenderSettings}, whose defaults apply to every value left unset; application.yml lists them).
 */
@ConfigurationProperties("rbtc.tx")
public record TxProperties(
    BigInteger maxFeePerGasWei,
    Integer baseFeeMultiplier,
    Duration replaceAfter,
    Integer replacementBumpBps,
    Integer receiptConfirmations,
    Duration pollInterval,
    Duration awaitTimeout,
    Integer gasHeadroomPercent) {

  SenderSettings forChain(long chainId) {
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
