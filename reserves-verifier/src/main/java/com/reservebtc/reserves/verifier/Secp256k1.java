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

  /** An ECDSA signature with the parity of R's y (the recovery id), low s (EIP-2). */
  record Signature(BigInteger r, BigInteger s, int recoveryId) {}

  /**
   * Signs a 32-byte hash with private key {@code d}, k by RFC 6979 (HMAC-SHA256): deterministic.
   */
  static Signature sign(byte[] hash, BigInteger d) {
    if (d.signum() <= 0 || d.compareTo(N) >= 0) {
      throw new IllegalArgumentException("a private key is in [1, n-1]");
    }
    BigInteger e = new BigInteger(1, hash).mod(N);
    Rfc6979 nonces = new Rfc6979(to32(d), to32(e));
    while (true) {
      BigInteger k = nonces.next();
      Point big = multiply(G, k);
      BigInteger r = big.x().mod(N);
      if (r.signum() == 0) {
        continue;
      }
      BigInteger s = k.modInverse(N).multiply(e.add(r.multiply(d))).mod(N);
      if (s.signum() == 0) {
        continue;
      }
      int recoveryId = big.y().testBit(0) ? 1 : 0;
      if (big.x().compareTo(N) >= 0) {
        continue; // r would not identify R's x; practically never
      }
      if (s.compareTo(HALF_N) > 0) {
        s = N.subtract(s);
        recoveryId ^= 1;
      }
      return new Signature(r, s, recoveryId);
    }
  }

  static Point publicKey(BigInteger d) {
    return multiply(G, d);
  }

  static byte[] to32(BigInteger value) {
    byte[] raw = value.toByteArray();
    byte[] out = new byte[32];
    int n = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - n, out, 32 - n, n);
    return out;
  }

  /** RFC 6979 §3.2 nonces with HMAC-SHA256 for a 256-bit order. */
  private static final class Rfc6979 {
    private byte[] v = new byte[32];
    private byte[] k = new byte[32];

    Rfc6979(byte[] key, byte[] hash) {
      java.util.Arrays.fill(v, (byte) 1);
      k = mac(k, v, new byte[] {0}, key, hash);
      v = mac(k, v);
      k = mac(k, v, new byte[] {1}, key, hash);
      v = mac(k, v);
    }

    BigInteger next() {
      while (true) {
        v = mac(k, v);
        BigInteger candidate = new BigInteger(1, v);
        if (candidate.signum() > 0 && candidate.compareTo(N) < 0) {
          k = mac(k, v, new byte[] {0});
          v = mac(k, v);
          return candidate;
        }
        k = mac(k, v, new byte[] {0});
        v = mac(k, v);
      }
    }

    private static byte[] mac(byte[] key, byte[]... parts) {
      try {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
        for (byte[] part : parts) {
          mac.update(part);
        }
        return mac.doFinal();
      } catch (java.security.GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
      }
    }
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
