package com.reservebtc.reserves.verifier;

import java.math.BigInteger;

/**
 * Public-key recovery on secp256k1 (SEC 1 §4.1.6), in affine coordinates with {@link BigInteger}:
 * slow (a few milliseconds per recovery) and small enough to read.
 */
final class Secp256k1 {

  static final BigInteger P =
      new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F", 16);
  static final BigInteger N =
      new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);
  static final BigInteger HALF_N = N.shiftRight(1);
  private static final BigInteger GX =
      new BigInteger("79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798", 16);
  private static final BigInteger GY =
      new BigInteger("483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8", 16);
  private static final BigInteger SEVEN = BigInteger.valueOf(7);
  private static final BigInteger THREE = BigInteger.valueOf(3);

  /** A point; {@code null} stands for the point at infinity. */
  record Point(BigInteger x, BigInteger y) {}

  private static final Point G = new Point(GX, GY);

  private Secp256k1() {}

  /**
   * The public key that signed {@code hash} with {@code (r, s)}, {@code recoveryId} 0 or 1 (the
   * parity of R's y; Ethereum's {@code v} − 27). Throws {@link IllegalArgumentException} when no
   * key can be recovered.
   */
  static Point recover(byte[] hash, BigInteger r, BigInteger s, int recoveryId) {
    if (r.signum() <= 0 || r.compareTo(N) >= 0 || s.signum() <= 0 || s.compareTo(N) >= 0) {
      throw new IllegalArgumentException("r and s must be in [1, n-1]");
    }
    if (recoveryId != 0 && recoveryId != 1) {
      throw new IllegalArgumentException("the recovery id must be 0 or 1");
    }
    BigInteger alpha = r.pow(3).add(SEVEN).mod(P);
    BigInteger beta = alpha.modPow(P.add(BigInteger.ONE).shiftRight(2), P);
    if (!beta.multiply(beta).mod(P).equals(alpha)) {
      throw new IllegalArgumentException("r is not the x coordinate of a curve point");
    }
    BigInteger y = beta.testBit(0) == (recoveryId == 1) ? beta : P.subtract(beta);
    Point bigR = new Point(r, y);
    BigInteger e = new BigInteger(1, hash).mod(N);
    BigInteger rInverse = r.modInverse(N);
    BigInteger u1 = e.negate().mod(N).multiply(rInverse).mod(N);
    BigInteger u2 = s.multiply(rInverse).mod(N);
    Point q = add(multiply(G, u1), multiply(bigR, u2));
    if (q == null) {
      throw new IllegalArgumentException("the recovered key is the point at infinity");
    }
    return q;
  }

  static Point multiply(Point point, BigInteger k) {
    Point result = null;
    for (int i = k.bitLength() - 1; i >= 0; i--) {
      result = add(result, result);
      if (k.testBit(i)) {
        result = add(result, point);
      }
    }
    return result;
  }

  static Point add(Point a, Point b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    BigInteger lambda;
    if (a.x().equals(b.x())) {
      if (!a.y().equals(b.y()) || a.y().signum() == 0) {
        return null;
      }
      lambda = THREE.multiply(a.x().pow(2)).multiply(a.y().shiftLeft(1).modInverse(P)).mod(P);
    } else {
      lambda = b.y().subtract(a.y()).multiply(b.x().subtract(a.x()).modInverse(P)).mod(P);
    }
    BigInteger x = lambda.pow(2).subtract(a.x()).subtract(b.x()).mod(P);
    BigInteger y = lambda.multiply(a.x().subtract(x)).subtract(a.y()).mod(P);
    return new Point(x, y);
  }
}
