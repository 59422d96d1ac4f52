package com.reservebtc.oracle.reserves;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Sign;
import org.web3j.crypto.WalletUtils;
import org.web3j.crypto.exception.CipherException;

/**
 * The operator's attestation key (secp256k1) and the salt secret. Signs statements with EIP-191
 * {@code personal_sign}; derives each leaf's salt as HMAC-SHA256(salt secret, "rbtc-por-v2/salt" ‖
 * u64 sequence ‖ 20-byte EVM address). Loaded from exactly one of {@code rbtc.reserves.signing-key}
 * or {@code signing-keystore} (+ password). Error messages name the setting, never the secret;
 * {@link #toString()} shows the address only.
 */
public final class AttestationKey {

  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] SALT_TAG = "rbtc-por-v2/salt".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SECRET_TAG =
      "rbtc-por-v2/salt-secret".getBytes(StandardCharsets.US_ASCII);

  private final Credentials credentials;
  private final byte[] saltSecret;

  private AttestationKey(Credentials credentials, byte[] saltSecret) {
    this.credentials = credentials;
    this.saltSecret = saltSecret;
  }

  /** A key from its hex private key, with the salt secret derived from it (tests, benchmark). */
  public static AttestationKey ofHex(String privateKeyHex) {
    Credentials credentials = Credentials.create(strip(privateKeyHex));
    return new AttestationKey(credentials, derivedSecret(credentials));
  }

  static AttestationKey load(ReservesProperties properties) {
    boolean hasKey = !ReservesProperties.blank(properties.signingKey());
    boolean hasKeystore = !ReservesProperties.blank(properties.signingKeystore());
    if (hasKey && hasKeystore) {
      throw new IllegalStateException(
          "set either RBTC_RESERVES_SIGNING_KEY or RBTC_RESERVES_SIGNING_KEYSTORE, not both");
    }
    Credentials credentials;
    if (hasKey) {
      String hex = strip(properties.signingKey().trim());
      if (!hex.matches("[0-9a-fA-F]{64}")) {
        throw new IllegalStateException(
            "RBTC_RESERVES_SIGNING_KEY must be 32 bytes of hex (64 digits, optional 0x)");
      }
      credentials = Credentials.create(hex);
    } else if (hasKeystore) {
      Path file = Path.of(properties.signingKeystore().trim());
      if (!Files.isReadable(file)) {
        throw new IllegalStateException(
            "RBTC_RESERVES_SIGNING_KEYSTORE " + file + " does not exist or is not readable");
      }
      if (properties.signingKeystorePassword() == null) {
        throw new IllegalStateException(
            "RBTC_RESERVES_SIGNING_KEYSTORE_PASSWORD is required with a keystore");
      }
      try {
        credentials =
            WalletUtils.loadCredentials(properties.signingKeystorePassword(), file.toFile());
      } catch (CipherException e) {
        throw new IllegalStateException(
            "cannot decrypt the attestation keystore " + file + " (wrong password?)");
      } catch (IOException e) {
        throw new IllegalStateException(
            "cannot read the attestation keystore " + file + ": " + e.getMessage());
      }
    } else {
      throw new IllegalStateException(
          "no proof-of-reserves attestation key: set RBTC_RESERVES_SIGNING_KEY or"
              + " RBTC_RESERVES_SIGNING_KEYSTORE (+ RBTC_RESERVES_SIGNING_KEYSTORE_PASSWORD), or"
              + " RBTC_RESERVES_ENABLED=false");
    }
    byte[] secret;
    if (ReservesProperties.blank(properties.saltSecret())) {
      secret = derivedSecret(credentials);
    } else {
      String hex = strip(properties.saltSecret().trim());
      if (!hex.matches("([0-9a-fA-F]{2}){32,}")) {
        throw new IllegalStateException(
            "RBTC_RESERVES_SALT_SECRET must be at least 32 bytes of hex (64+ digits)");
      }
      secret = HEX.parseHex(hex.toLowerCase(Locale.ROOT));
    }
    return new AttestationKey(credentials, secret);
  }

  /** The lower-case 0x address that signs attestations (published). */
  public String address() {
    return credentials.getAddress().toLowerCase(Locale.ROOT);
  }

  /** EIP-191 personal_sign of {@code text}: {@code 0x} ‖ r ‖ s ‖ v (v 27/28), low s. */
  public String sign(String text) {
    Sign.SignatureData data =
        Sign.signPrefixedMessage(text.getBytes(StandardCharsets.UTF_8), credentials.getEcKeyPair());
    return "0x"
        + HEX.formatHex(data.getR())
        + HEX.formatHex(data.getS())
        + HEX.formatHex(data.getV());
  }

  /** The salt of {@code ethAddress}'s leaf in snapshot {@code sequence}, lower-case hex. */
  public String salt(long sequence, String ethAddress) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(saltSecret, "HmacSHA256"));
      mac.update(SALT_TAG);
      for (int shift = 56; shift >= 0; shift -= 8) {
        mac.update((byte) (sequence >>> shift));
      }
      mac.update(HEX.parseHex(ethAddress.substring(2)));
      return HEX.formatHex(mac.doFinal());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  /** A reusable salt function for one snapshot (one Mac for all leaves). */
  SaltFunction saltsFor(long sequence) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(saltSecret, "HmacSHA256"));
      byte[] prefix = new byte[SALT_TAG.length + 8];
      System.arraycopy(SALT_TAG, 0, prefix, 0, SALT_TAG.length);
      for (int i = 0; i < 8; i++) {
        prefix[SALT_TAG.length + i] = (byte) (sequence >>> (56 - 8 * i));
      }
      return eth -> {
        mac.update(prefix);
        mac.update(HEX.parseHex(eth.substring(2)));
        return HEX.formatHex(mac.doFinal());
      };
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  /** Salts of one snapshot; not thread-safe. */
  interface SaltFunction {
    String of(String ethAddress);
  }

  @Override
  public String toString() {
    return "AttestationKey[" + address() + "]";
  }

  private static byte[] derivedSecret(Credentials credentials) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(SECRET_TAG);
      byte[] key = credentials.getEcKeyPair().getPrivateKey().toByteArray();
      byte[] fixed = new byte[32];
      int n = Math.min(key.length, 32);
      System.arraycopy(key, key.length - n, fixed, 32 - n, n);
      sha.update(fixed);
      return sha.digest();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }

  private static String strip(String hex) {
    return hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
  }
}
