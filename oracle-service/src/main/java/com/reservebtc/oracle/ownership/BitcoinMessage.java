package com.reservebtc.oracle.ownership;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.bitcoinj.base.Sha256Hash;
import org.bouncycastle.crypto.digests.RIPEMD160Digest;

/**
 * The hashes of Bitcoin's "signmessage" scheme: {@code SHA256d("\x18Bitcoin Signed Message:\n" ||
 * varint(len) || message)} over the UTF-8 bytes, and HASH160 for keys and scripts.
 */
final class BitcoinMessage {

  private static final byte[] MAGIC =
      "\u0018Bitcoin Signed Message:\n".getBytes(StandardCharsets.UTF_8);

  private BitcoinMessage() {}

  /** The double SHA-256 digest a BIP-137 signature signs. */
  static Sha256Hash hash(String message) {
    byte[] body = message.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(MAGIC.length + 9 + body.length);
    out.writeBytes(MAGIC);
    writeVarInt(out, body.length);
    out.writeBytes(body);
    return Sha256Hash.twiceOf(out.toByteArray());
  }

  /** RIPEMD-160 of SHA-256, as used by P2PKH, P2WPKH and P2SH. */
  static byte[] hash160(byte[] data) {
    byte[] sha;
    try {
      sha = MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
    RIPEMD160Digest ripemd = new RIPEMD160Digest();
    ripemd.update(sha, 0, sha.length);
    byte[] out = new byte[20];
    ripemd.doFinal(out, 0);
    return out;
  }

  private static void writeVarInt(ByteArrayOutputStream out, long value) {
    if (value < 0xfd) {
      out.write((int) value);
    } else if (value <= 0xffff) {
      out.write(0xfd);
      out.write((int) (value & 0xff));
      out.write((int) ((value >>> 8) & 0xff));
    } else if (value <= 0xffffffffL) {
      out.write(0xfe);
      for (int i = 0; i < 4; i++) {
        out.write((int) ((value >>> (8 * i)) & 0xff));
      }
    } else {
      out.write(0xff);
      for (int i = 0; i < 8; i++) {
        out.write((int) ((value >>> (8 * i)) & 0xff));
      }
    }
  }
}
