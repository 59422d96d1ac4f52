package com.reservebtc.reserves.verifier;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A node of the Merkle-sum tree: a SHA-256 hash and the sum of the balances below it, in sats
 * (never negative, at most 2^63 − 1).
 */
public final class SumNode {

  static final byte NODE_PREFIX = 0x01;

  private final byte[] hash;
  private final long sum;

  public SumNode(byte[] hash, long sum) {
    if (hash.length != 32) {
      throw new IllegalArgumentException("a node hash is 32 bytes");
    }
    if (sum < 0) {
      throw new IllegalArgumentException("a sum cannot be negative");
    }
    this.hash = hash.clone();
    this.sum = sum;
  }

  /** A node from its lower-case hex hash and its sum. */
  public static SumNode of(String hashHex, long sum) {
    return new SumNode(Hex.decodeExact(hashHex, 32, "a node hash"), sum);
  }

  /**
   * The parent of two nodes: SHA-256(0x01 ‖ left hash ‖ u64(left sum) ‖ right hash ‖ u64(right
   * sum)), with the sum left + right.
   *
   * @throws ArithmeticException if the sum exceeds 2^63 − 1
   */
  public static SumNode parent(SumNode left, SumNode right) {
    long sum = Math.addExact(left.sum, right.sum);
    MessageDigest sha = sha256();
    sha.update(NODE_PREFIX);
    sha.update(left.hash);
    sha.update(u64(left.sum));
    sha.update(right.hash);
    sha.update(u64(right.sum));
    return new SumNode(sha.digest(), sum);
  }

  public byte[] hash() {
    return hash.clone();
  }

  public String hashHex() {
    return Hex.encode(hash);
  }

  public long sum() {
    return sum;
  }

  int compareHash(SumNode other) {
    return Arrays.compareUnsigned(hash, other.hash);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SumNode n && n.sum == sum && Arrays.equals(n.hash, hash);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(hash) * 31 + Long.hashCode(sum);
  }

  @Override
  public String toString() {
    return hashHex() + "/" + sum;
  }

  static byte[] u64(long value) {
    byte[] out = new byte[8];
    for (int i = 7; i >= 0; i--) {
      out[i] = (byte) value;
      value >>>= 8;
    }
    return out;
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }
}
