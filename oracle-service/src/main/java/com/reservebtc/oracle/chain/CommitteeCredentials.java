package com.reservebtc.oracle.chain;

import com.reservebtc.oracle.OracleProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletUtils;
import org.web3j.crypto.exception.CipherException;

/**
 * Loads the committee key from exactly one of {@code rbtc.oracle.committee-key} (hex, dev) or
 * {@code rbtc.oracle.committee-keystore} + password. Error messages name the setting, never the
 * secret.
 */
final class CommitteeCredentials {

  private CommitteeCredentials() {}

  static Credentials load(OracleProperties properties) {
    boolean hasKey = properties.committeeKey() != null && !properties.committeeKey().isBlank();
    boolean hasKeystore =
        properties.committeeKeystore() != null && !properties.committeeKeystore().isBlank();
    if (hasKey && hasKeystore) {
      throw new IllegalStateException(
          "set either RBTC_ORACLE_COMMITTEE_KEY or RBTC_ORACLE_COMMITTEE_KEYSTORE, not both");
    }
    if (hasKey) {
      String hex = properties.committeeKey().trim();
      hex = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
      if (!hex.matches("[0-9a-fA-F]{64}")) {
        throw new IllegalStateException(
            "RBTC_ORACLE_COMMITTEE_KEY must be 32 bytes of hex (64 digits, optional 0x)");
      }
      return Credentials.create(hex);
    }
    if (hasKeystore) {
      Path file = Path.of(properties.committeeKeystore().trim());
      if (!Files.isReadable(file)) {
        throw new IllegalStateException(
            "RBTC_ORACLE_COMMITTEE_KEYSTORE " + file + " does not exist or is not readable");
      }
      if (properties.committeeKeystorePassword() == null) {
        throw new IllegalStateException(
            "RBTC_ORACLE_COMMITTEE_KEYSTORE_PASSWORD is required with a keystore");
      }
      try {
        return WalletUtils.loadCredentials(properties.committeeKeystorePassword(), file.toFile());
      } catch (CipherException e) {
        throw new IllegalStateException(
            "cannot decrypt the committee keystore " + file + " (wrong password?)");
      } catch (IOException e) {
        throw new IllegalStateException(
            "cannot read the committee keystore " + file + ": " + e.getMessage());
      }
    }
    throw new IllegalStateException(
        "no committee key: set RBTC_ORACLE_COMMITTEE_KEY or RBTC_ORACLE_COMMITTEE_KEYSTORE"
            + " (+ RBTC_ORACLE_COMMITTEE_KEYSTORE_PASSWORD)");
  }
}
