package com.reservebtc.oracle.reserves;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Proof-of-reserves settings; defaults are documented in application.yml. The key material is never
 * logged and never part of an error message.
 *
 * @param enabled whether snapshots are taken (after each sync cycle whose Bitcoin block is new)
 * @param retainedLeafSnapshots how many of the newest snapshots keep their leaves (proofs and
 *     exports); older snapshots keep only their signed statement
 * @param signingKey the attestation key as 32 bytes of hex (dev), or empty
 * @param signingKeystore a web3j/geth JSON keystore file holding the attestation key, or empty
 * @param signingKeystorePassword the keystore's password
 * @param saltSecret the secret leaf salts are derived from (at least 32 bytes of hex); empty =
 *     derived from the attestation key
 * @param proofRequestMaxAge how old a signed proof request may be
 */
@ConfigurationProperties("rbtc.reserves")
public record ReservesProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("1008") int retainedLeafSnapshots,
    String signingKey,
    String signingKeystore,
    String signingKeystorePassword,
    String saltSecret,
    @DefaultValue("300s") java.time.Duration proofRequestMaxAge) {

  public ReservesProperties {
    if (retainedLeafSnapshots < 1) {
      throw new IllegalArgumentException("rbtc.reserves.retained-leaf-snapshots must be >= 1");
    }
    if (proofRequestMaxAge.isNegative() || proofRequestMaxAge.isZero()) {
      throw new IllegalArgumentException("rbtc.reserves.proof-request-max-age must be positive");
    }
  }

  @Override
  public String toString() {
    return "ReservesProperties[enabled="
        + enabled
        + ", retainedLeafSnapshots="
        + retainedLeafSnapshots
        + ", signing key "
        + (blank(signingKey) ? (blank(signingKeystore) ? "unset" : "from a keystore") : "set")
        + "]";
  }

  static boolean blank(String value) {
    return value == null || value.isBlank();
  }
}
