package com.reservebtc.oracle;

import java.math.BigInteger;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The oracle's own settings: how often it syncs and the committee key (how its transactions are
 * priced, replaced and awaited is {@code rbtc.tx}, the transaction sender's). Defaults are
 * documented in application.yml. {@link #toString()} never shows the key or password.
 *
 * @param cycleInterval pause between the end of one sync cycle and the start of the next
 * @param syncEnabled whether the sync cycle runs at all (bindings are accepted either way)
 * @param committeeKey hex private key of the committee (dev); exclusive with the keystore
 * @param committeeKeystore path of a web3j/geth JSON keystore holding the committee key
 * @param committeeKeystorePassword password of {@code committeeKeystore}
 * @param registrationPrepayWei DEV CONVENIENCE, default 0 = off: when positive, every new binding
 *     is followed by {@code OracleAggregator.registerAndPrepay(user, method, checksum)} carrying
 *     this many wei from the committee into the user's fee-vault balance
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
    @DefaultValue("10") int maxSyncsPerUserPerCycle,
    @DefaultValue("30s") Duration maxObservationAge) {

  public OracleProperties {
    if (cycleInterval.isNegative() || cycleInterval.isZero()) {
      throw new IllegalArgumentException("rbtc.oracle.cycle-interval must be positive");
    }
    if (registrationPrepayWei.signum() < 0) {
      throw new IllegalArgumentException("rbtc.oracle.registration-prepay-wei must be >= 0");
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
        + ", maxSyncsPerUserPerCycle="
        + maxSyncsPerUserPerCycle
        + ", maxObservationAge="
        + maxObservationAge
        + "]";
  }
}
