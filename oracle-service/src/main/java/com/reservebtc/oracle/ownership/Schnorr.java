package com.reservebtc.oracle.ownership;

import java.math.BigInteger;
import java.util.Arrays;
import org.bitcoinj.crypto.ECKey;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;

/**
 * BIP-340 Schnorr signature verification over secp256k1 (x-only public keys, 64-byte signatures).
 *
 * <p>Follows the BIP's verification algorithm step by step: the key must be the x coordinate of a
 * curve point (lifted to even y), {@code r < p}, {@code s < n}, {@code e =
 * tagged_hash("BIP0340/challenge", r || P || m) mod n}, and {@code R = sG − eP} must be a finite
 * point with even y and x equal to {@code r}. Verification only: this class never signs.
 */
final class Schnorr {

  private static final ECDomainParameters CURVE = ECKey.ecDomainParameters();
  private static final BigInteger P = CURVE.getCurve().getField().getCharacteristic();
  private static final BigInteger N = CURVE.getN();

  private Schnorr() {}

  /**
   * @param publicKey 32-byte x-only key
   * @param message 32-byte message (a sighash)
   * @param signature 64 bytes {@code r || s}
   */
  static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    if (publicKey.length != 32 || message.length != 32 || signature.length != 64) {
      return false;
    }
    ECPoint point = liftX(publicKey);
    if (point == null) {
      return false;
    }
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
    if (r.compareTo(P) >= 0 || s.compareTo(N) >= 0) {
      return false;
    }
    byte[] challenge = new byte[96];
    System.arraycopy(signature, 0, challenge, 0, 32);
    System.arraycopy(publicKey, 0, challenge, 32, 32);
    System.arraycopy(message, 0, challenge, 64, 32);
    BigInteger e =
        new BigInteger(1, Bip322Transactions.taggedHash("BIP0340/challenge", challenge)).mod(N);
    ECPoint rPoint =
        ECAlgorithms.sumOfTwoMultiplies(CURVE.getG(), s, point, N.subtract(e).mod(N)).normalize();
    if (rPoint.isInfinity()) {
      return false;
    }
    return !rPoint.getAffineYCoord().toBigInteger().testBit(0)
        && rPoint.getAffineXCoord().toBigInteger().equals(r);
  }

  /** The curve point with x coordinate {@code x} and even y, or null if there is none. */
  private static ECPoint liftX(byte[] x) {
    if (new BigInteger(1, x).compareTo(P) >= 0) {
      return null;
    }
    byte[] compressed = new byte[33];
    compressed[0] = 0x02;
    System.arraycopy(x, 0, compressed, 1, 32);
    try {
      return CURVE.getCurve().decodePoint(compressed);
    } catch (IllegalArgumentException notOnCurve) {
      return null;
    }
  }
}
