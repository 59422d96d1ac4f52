package com.reservebtc.txsender;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletUtils;
import org.web3j.crypto.exception.CipherException;

/**
 * Loads the one key a sender signs with, from a hex setting or a web3j/geth JSON keystore. Error
 * messages name the setting, never the secret.
 */
public final class SigningKey {

  private SigningKey() {}

  /**
   * @param hex 32 bytes of hex, optional 0x
   * @param setting how the operator sets it (e.g. {@code RBTC_YIELD_POOL_ORACLE_KEY}), for messages
   */
  public static Credentials fromHex(String hex, String setting) {
    String digits = hex == null ? "" : hex.trim();
    digits = digits.startsWith("0x") || digits.startsWith("0X") ? digits.substring(2) : digits;
    if (!digits.matches("[0-9a-fA-F]{64}")) {
      throw new IllegalStateException(
          setting + " must be 32 bytes of hex (64 digits, optional 0x)");
    }
    return Credentials.create(digits);
  }

  /**
   * @param setting how the operator sets the keystore path, for messages
   */
  public static Credentials fromKeystore(Path file, String password, String setting) {
    if (!Files.isReadable(file)) {
      throw new IllegalStateException(setting + " " + file + " does not exist or is not readable");
    }
    if (password == null) {
      throw new IllegalStateException(setting + " needs its password");
    }
    try {
      return WalletUtils.loadCredentials(password, file.toFile());
    } catch (CipherException e) {
      throw new IllegalStateException(
          "cannot decrypt " + setting + " " + file + " (wrong password?)");
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read " + setting + " " + file + ": " + e.getClass().getSimpleName());
    }
  }
}
