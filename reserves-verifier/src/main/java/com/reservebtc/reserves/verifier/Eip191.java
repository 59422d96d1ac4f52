package com.reservebtc.reserves.verifier;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * EIP-191 {@code personal_sign} ("version 0x45"): the signed digest is Keccak-256 of {@code 0x19 ‖
 * "Ethereum Signed Message:\n" ‖ decimal byte length of the message ‖ the message as UTF-8}; the
 * signature is 65 bytes {@code r ‖ s ‖ v} ({@code v} 27/28, or 0/1), written as {@code 0x} + 130
 * hex digits. Only low-{@code s} signatures are accepted (EIP-2), so a statement has one signature
 * per key.
 */
public final class Eip191 {

  private Eip191() {}

  /** The digest a wallet signs for {@code message}. */
  public static byte[] digest(String message) {
    byte[] text = message.getBytes(StandardCharsets.UTF_8);
    byte[] prefix =
        ("\u0019Ethereum Signed Message:\n" + text.length).getBytes(StandardCharsets.UTF_8);
    byte[] all = Arrays.copyOf(prefix, prefix.length + text.length);
    System.arraycopy(text, 0, all, prefix.length, text.length);
    return Keccak256.digest(all);
  }

  /**
   * The lower-case 0x address whose key made {@code signature} over {@code message}.
   *
   * @throws IllegalArgumentException if the signature is malformed or no key can be recovered
   */
  public static String recoverAddress(String message, String signature) {
    if (signature == null || !signature.matches("0x[0-9a-fA-F]{130}")) {
      throw new IllegalArgumentException("a signature is 0x followed by 130 hex digits");
    }
    byte[] bytes = Hex.decode(signature.substring(2));
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(bytes, 0, 32));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(bytes, 32, 64));
    int v = bytes[64] & 0xff;
    int recoveryId = v >= 27 ? v - 27 : v;
    if (s.compareTo(Secp256k1.HALF_N) > 0) {
      throw new IllegalArgumentException("the signature has a high s value (EIP-2)");
    }
    Secp256k1.Point key = Secp256k1.recover(digest(message), r, s, recoveryId);
    return addressOf(key);
  }

  /**
   * personal_sign of {@code message} with a 32-byte hex private key: {@code 0x} ‖ r ‖ s ‖ v (v
   * 27/28), deterministic (RFC 6979), low s — what a wallet returns.
   */
  public static String sign(String message, String privateKeyHex) {
    String hex = privateKeyHex.strip();
    hex = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
    if (!hex.matches("[0-9a-fA-F]{64}")) {
      throw new IllegalArgumentException("a private key is 64 hex digits (optional 0x)");
    }
    Secp256k1.Signature signature = Secp256k1.sign(digest(message), new BigInteger(hex, 16));
    return "0x"
        + Hex.encode(Secp256k1.to32(signature.r()))
        + Hex.encode(Secp256k1.to32(signature.s()))
        + Hex.encode(new byte[] {(byte) (27 + signature.recoveryId())});
  }

  /** The lower-case 0x address of a 32-byte hex private key. */
  public static String addressOfKey(String privateKeyHex) {
    String hex = privateKeyHex.strip();
    hex = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
    return addressOf(Secp256k1.publicKey(new BigInteger(hex, 16)));
  }

  static String addressOf(Secp256k1.Point key) {
    byte[] raw = new byte[64];
    copy32(key.x(), raw, 0);
    copy32(key.y(), raw, 32);
    byte[] hash = Keccak256.digest(raw);
    return "0x" + Hex.encode(Arrays.copyOfRange(hash, 12, 32));
  }

  private static void copy32(BigInteger value, byte[] out, int offset) {
    byte[] bytes = value.toByteArray();
    int length = Math.min(bytes.length, 32);
    System.arraycopy(bytes, bytes.length - length, out, offset + 32 - length, length);
  }
}
