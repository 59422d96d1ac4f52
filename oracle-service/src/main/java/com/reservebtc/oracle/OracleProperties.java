package com.reservebtc.oracle;

import java.math.BigInteger;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The oracle's own settings: how often it syncs, the committee key and transaction handling.
 * Defaults are documented in application.yml. {@link #toString()} never shows the key or password.
 *
 * @param cycleInterval pause between the end of one sync cycle and the start of the next
 * @param syncEnabled whether the sync cycle runs at all (bindings are accepted either way)
 * @param committeeKey hex private key of the committee (dev); exclusive with the keystore
 * @param committeeKeystore path of a web3j/geth JSON keystore holding the committee key
 * @param committeeKeystorePassword password of {@code committeeKeystore}
 * @param registrationPrepayWei DEV CONVENIENCE, default 0 = off: when positive, every new binding
 *     is followed by {@code OracleAggregator.registerAndPrepay(user, method, checksum)} carrying
 *     this many wei from the committee into the user's fee-vault balance
 * @param receiptPollInterval how often a submitted transaction's receipt is polled
 * @param receiptTimeout how long to wait for a receipt (and its confirmations) before leaving the
 *     transaction to the next cycle's resolution
 * @param receiptConfirmations blocks a sync's receipt must be deep (its own block counts as one)
 *     before its outcome is recorded; the receipt is read again then, so a sync orphaned in the
 *     meantime is not recorded as confirmed
 * @param gasHeadroomPercent added to the node's gas estimate
 * @param maxSyncsPerUserPerCycle most split steps sent for one user in one cycle
 * @param maxObservationAge a balance observed longer ago than this (a long cycle) is observed again
 *     just before its sync is sent, so a sync never carries a stale balance
 */
@ConfigurationProperties("rbtc.oracle")
public record OracleProperties(
    @DefaultValue("30s") Duration cycleInterval,
    @DefaultValue("true") boolean syncEnabled,
    String committeeKey,
    String committeeKeystore,
    String committeeKeystorePassword,
    @DefaultValue("0") BigInteger registrationPrepayWei,
    @DefaultValue("150ms") Duration receiptPollInterval,
    @DefaultValue("2m") Duration receiptTimeout,
    @DefaultValue("1") int receiptConfirmations,
    @DefaultValue("25") int gasHeadroomPercent,
    @DefaultValue("10") int maxSyncsPerUserPerCycle,
    @DefaultValue("30s") Duration maxObservationAge) {

  public OracleProperties {
    if (cycleInterval.isNegative() || cycleInterval.isZero()) {
      throw new IllegalArgumentException("rbtc.oracle.cycle-interval must be positive");
    }
    if (registrationPrepayWei.signum() < 0) {
      throw new IllegalArgumentException("rbtc.oracle.registration-prepay-wei must be >= 0");
    }
    if (receiptPollInterval.toMillis() < 1 || receiptTimeout.compareTo(receiptPollInterval) < 0) {
      throw new IllegalArgumentException(
          "rbtc.oracle.receipt-poll-interval must be >= 1 ms and <= rbtc.oracle.receipt-timeout");
    }
    if (receiptConfirmations < 1 || receiptConfirmations > 1000) {
      throw new IllegalArgumentException("rbtc.oracle.receipt-confirmations must be 1..1000");
    }
    if (gasHeadroomPercent < 0 || gasHeadroomPercent > 1000) {
      throw new IllegalArgumentException("rbtc.oracle.gas-headroom-percent must be 0..1000");
    }
    if (maxSyncsPerUserPerCycle < 1) {
      throw new IllegalArgumentException("rbtc.oracle.max-syncs-per-user-per-cycle must be >= 1");
    }
    if (maxObservationAge.isNegative()) {
      throw new IllegalArgumentException("rbtc.oracle.max-observation-age must be >= 0");
    }
  }

  @Override
  public String toString() {
    return "OracleProperties[cycleInterval="
        + cycleInterval
        + ", syncEnabled="
        + syncEnabled
        + ", committeeKey="
        + (committeeKey == null || committeeKey.isBlank() ? "unset" : "***")
        + ", committeeKeystore="
        + committeeKeystore
        + ", committeeKeystorePassword="
        + (committeeKeystorePassword == null ? "unset" : "***")
        + ", registrationPrepayWei="
        + registrationPrepayWei
        + ", receiptPollInterval="
        + receiptPollInterval
        + ", receiptTimeout="
        + receiptTimeout
        + ", receiptConfirmations="
        + receiptConfirmations
        + ", gasHeadroomPercent="
        + gasHeadroomPercent
        + ", maxSyncsPerUserPerCycle="
        + maxSyncsPerUserPerCycle
        + ", maxObservationAge="
        + maxObservationAge
        + "]";
  }
}
