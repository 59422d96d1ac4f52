package com.reservebtc.oracle.ownership;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/**
 * Test EVM accounts that remember their keys, so a test can make up a user and later sign as that
 * user (EIP-191 {@code personal_sign}, as a wallet does).
 */
public final class EthKeys {

  private static final Map<String, ECKeyPair> KEYS = new ConcurrentHashMap<>();

  private EthKeys() {}

  /** A fresh account's lower-case 0x address. */
  public static String newAddress() {
    try {
      ECKeyPair key = Keys.createEcKeyPair();
      String address = "0x" + Keys.getAddress(key).toLowerCase(Locale.ROOT);
      KEYS.put(address, key);
      return address;
    } catch (Exception e) {
      throw new IllegalStateException("could not create a test key", e);
    }
  }

  /** Remembers {@code key} so {@link #sign(String, String)} can sign as its address. */
  public static String remember(ECKeyPair key) {
    String address = "0x" + Keys.getAddress(key).toLowerCase(Locale.ROOT);
    KEYS.put(address, key);
    return address;
  }

  /** {@code personal_sign(message)} by an account made with {@link #newAddress()}. */
  public static String sign(String address, String message) {
    ECKeyPair key = KEYS.get(address.toLowerCase(Locale.ROOT));
    if (key == null) {
      throw new IllegalArgumentException("no test key for " + address);
    }
    return sign(key, message);
  }

  /** {@code personal_sign(message)} by the account of a known hex private key. */
  public static String signWithKey(String privateKeyHex, String message) {
    return sign(
        ECKeyPair.create(new java.math.BigInteger(privateKeyHex.replaceFirst("^0x", ""), 16)),
        message);
  }

  /** {@code personal_sign(message)}: 0x ‖ r ‖ s ‖ v (27 or 28). */
  public static String sign(ECKeyPair key, String message) {
    Sign.SignatureData signature =
        Sign.signPrefixedMessage(message.getBytes(StandardCharsets.UTF_8), key);
    byte[] bytes = new byte[65];
    System.arraycopy(signature.getR(), 0, bytes, 0, 32);
    System.arraycopy(signature.getS(), 0, bytes, 32, 32);
    bytes[64] = signature.getV()[0];
    return "0x" + HexFormat.of().formatHex(bytes);
  }
}
