package com.reservebtc.oracle.ownership;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Base64;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.base.SegwitAddress;
import org.bitcoinj.base.Sha256Hash;
import org.bitcoinj.crypto.ECKey;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.math.ec.ECPoint;

/**
 * Test-only BIP-322 "simple" signer for P2WPKH and key-path P2TR, so tests and integration tests
 * can produce signatures for fresh keys. Independent of the verifier's sighash code only as far as
 * the published vectors prove the shared helpers right; the vectors are what anchor both.
 */
public final class Bip322TestSigner {

  private static final ECDomainParameters CURVE = ECKey.ecDomainParameters();
  private static final BigInteger N = CURVE.getN();

  private Bip322TestSigner() {}

  /** The P2WPKH address of {@code key} on {@code network}. */
  public static String p2wpkhAddress(ECKey key, BitcoinNetwork network) {
    return SegwitAddress.fromHash(network, key.getPubKeyHash()).toString();
  }

  /** The BIP-86 style key-path-only P2TR address of {@code key} (no script tree). */
  public static String p2trAddress(ECKey key, BitcoinNetwork network) {
    return SegwitAddress.fromProgram(network, 1, outputKey(key)).toString();
  }

  /** Base64 witness {@code [DER || SIGHASH_ALL, compressed key]} (RFC 6979 nonce, low S). */
  public static String signP2wpkh(ECKey key, String message) {
    byte[] program = key.getPubKeyHash();
    byte[] challenge = concat(new byte[] {0x00, 0x14}, program);
    byte[] toSpend =
        Bip322Transactions.toSpendTxid(challenge, Bip322Transactions.messageHash(message));
    byte[] sighash = Bip322Transactions.p2wpkhSighash(toSpend, program);
    byte[] der = key.sign(Sha256Hash.wrap(sighash)).encodeToDER();
    byte[] signature = concat(der, new byte[] {0x01});
    return Base64.getEncoder().encodeToString(witness(signature, key.getPubKey()));
  }

  /**
   * Base64 witness {@code [schnorr signature]} for the key-path spend of {@link #p2trAddress}.
   *
   * @param sighashAll append 0x01 (65 bytes) instead of the 64-byte default hash type
   * @param auxRand the BIP-340 auxiliary randomness (32 bytes)
   */
  public static String signP2tr(ECKey key, String message, boolean sighashAll, byte[] auxRand) {
    byte[] outputKey = outputKey(key);
    byte[] challenge = concat(new byte[] {0x51, 0x20}, outputKey);
    byte[] toSpend =
        Bip322Transactions.toSpendTxid(challenge, Bip322Transactions.messageHash(message));
    byte[] sighash =
        Bip322Transactions.taprootKeySpendSighash(toSpend, challenge, sighashAll ? 0x01 : 0x00);
    byte[] signature = schnorrSign(tweakedSecret(key), sighash, auxRand);
    if (sighashAll) {
      signature = concat(signature, new byte[] {0x01});
    }
    return Base64.getEncoder().encodeToString(witness(signature));
  }

  /** A fresh random 64-byte-signature P2TR signature. */
  public static String signP2tr(ECKey key, String message) {
    return signP2tr(key, message, false, new ECKey().getPrivKeyBytes());
  }

  /** BIP-341 output key: {@code P + hash_TapTweak(P)·G} with P the even-y internal key. */
  static byte[] outputKey(ECKey key) {
    ECPoint q = CURVE.getG().multiply(tweakedSecret(key)).normalize();
    return unsigned32(q.getAffineXCoord().toBigInteger());
  }

  private static BigInteger tweakedSecret(ECKey key) {
    BigInteger d = key.getPrivKey();
    ECPoint p = CURVE.getG().multiply(d).normalize();
    if (p.getAffineYCoord().toBigInteger().testBit(0)) {
      d = N.subtract(d);
    }
    byte[] px = unsigned32(p.getAffineXCoord().toBigInteger());
    BigInteger tweak = new BigInteger(1, Bip322Transactions.taggedHash("TapTweak", px));
    return d.add(tweak).mod(N);
  }

  /** BIP-340 signing, straight from the BIP's reference algorithm. */
  static byte[] schnorrSign(BigInteger secret, byte[] message, byte[] auxRand) {
    ECPoint p = CURVE.getG().multiply(secret).normalize();
    BigInteger d = p.getAffineYCoord().toBigInteger().testBit(0) ? N.subtract(secret) : secret;
    byte[] px = unsigned32(p.getAffineXCoord().toBigInteger());
    byte[] t = unsigned32(d);
    byte[] auxHash = Bip322Transactions.taggedHash("BIP0340/aux", auxRand);
    for (int i = 0; i < 32; i++) {
      t[i] ^= auxHash[i];
    }
    BigInteger k0 =
        new BigInteger(1, Bip322Transactions.taggedHash("BIP0340/nonce", concat(t, px, message)))
            .mod(N);
    ECPoint r = CURVE.getG().multiply(k0).normalize();
    BigInteger k = r.getAffineYCoord().toBigInteger().testBit(0) ? N.subtract(k0) : k0;
    byte[] rx = unsigned32(r.getAffineXCoord().toBigInteger());
    BigInteger e =
        new BigInteger(
                1, Bip322Transactions.taggedHash("BIP0340/challenge", concat(rx, px, message)))
            .mod(N);
    return concat(rx, unsigned32(k.add(e.multiply(d)).mod(N)));
  }

  static byte[] witness(byte[]... items) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(items.length);
    for (byte[] item : items) {
      out.write(item.length);
      out.writeBytes(item);
    }
    return out.toByteArray();
  }

  static byte[] unsigned32(BigInteger value) {
    byte[] raw = value.toByteArray();
    if (raw.length == 32) {
      return raw;
    }
    byte[] out = new byte[32];
    int copy = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
    return out;
  }

  static byte[] concat(byte[]... parts) {
    int length = Arrays.stream(parts).mapToInt(b -> b.length).sum();
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, out, at, part.length);
      at += part.length;
    }
    return out;
  }
}
