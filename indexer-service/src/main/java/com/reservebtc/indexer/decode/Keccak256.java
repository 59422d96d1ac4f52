package com.reservebtc.indexer.decode;

/**
 * Keccak-256 as Ethereum uses it (the original Keccak padding, not SHA3-256's), written out here
 * for event signature hashes: web3j's hash loads BouncyCastle, a signed jar whose verification
 * alone costs the indexer's start-up about half a second of CPU, and the indexer needs nothing else
 * from it. Stateless and thread-safe; for short inputs only (it copies the whole input).
 */
final class Keccak256 {

  private static final int RATE_BYTES = 136;
  private static final int ROUNDS = 24;
  private static final long[] ROUND_CONSTANTS = roundConstants();
  private static final int[] ROTATIONS = rotations();

  private Keccak256() {}

  static byte[] hash(byte[] input) {
    int blocks = input.length / RATE_BYTES + 1;
    byte[] padded = new byte[blocks * RATE_BYTES];
    System.arraycopy(input, 0, padded, 0, input.length);
    padded[input.length] ^= 0x01;
    padded[padded.length - 1] ^= (byte) 0x80;
    long[] state = new long[25];
    for (int block = 0; block < blocks; block++) {
      for (int lane = 0; lane < RATE_BYTES / 8; lane++) {
        state[lane] ^= littleEndian(padded, block * RATE_BYTES + lane * 8);
      }
      permute(state);
    }
    byte[] digest = new byte[32];
    for (int i = 0; i < digest.length; i++) {
      digest[i] = (byte) (state[i / 8] >>> (8 * (i % 8)));
    }
    return digest;
  }

  private static void permute(long[] a) {
    long[] c = new long[5];
    long[] b = new long[25];
    for (int round = 0; round < ROUNDS; round++) {
      // theta
      for (int x = 0; x < 5; x++) {
        c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
      }
      for (int x = 0; x < 5; x++) {
        long d = c[(x + 4) % 5] ^ Long.rotateLeft(c[(x + 1) % 5], 1);
        for (int y = 0; y < 25; y += 5) {
          a[x + y] ^= d;
        }
      }
      // rho and pi
      for (int x = 0; x < 5; x++) {
        for (int y = 0; y < 5; y++) {
          b[y + 5 * ((2 * x + 3 * y) % 5)] = Long.rotateLeft(a[x + 5 * y], ROTATIONS[x + 5 * y]);
        }
      }
      // chi
      for (int y = 0; y < 25; y += 5) {
        for (int x = 0; x < 5; x++) {
          a[x + y] = b[x + y] ^ (~b[(x + 1) % 5 + y] & b[(x + 2) % 5 + y]);
        }
      }
      // iota
      a[0] ^= ROUND_CONSTANTS[round];
    }
  }

  /** Rotation offsets of the lanes, from the walk (x, y) -> (y, 2x + 3y) over the state. */
  private static int[] rotations() {
    int[] rotations = new int[25];
    int x = 1;
    int y = 0;
    for (int t = 0; t < 24; t++) {
      rotations[x + 5 * y] = ((t + 1) * (t + 2) / 2) % 64;
      int nextY = (2 * x + 3 * y) % 5;
      x = y;
      y = nextY;
    }
    return rotations;
  }

  /** Round constants, from the linear feedback shift register x^8 + x^6 + x^5 + x^4 + 1. */
  private static long[] roundConstants() {
    long[] constants = new long[ROUNDS];
    int register = 1;
    for (int round = 0; round < ROUNDS; round++) {
      long constant = 0;
      for (int j = 0; j < 7; j++) {
        if ((register & 1) != 0) {
          constant |= 1L << ((1 << j) - 1);
        }
        register <<= 1;
        if ((register & 0x100) != 0) {
          register ^= 0x171;
        }
      }
      constants[round] = constant;
    }
    return constants;
  }

  private static long littleEndian(byte[] bytes, int offset) {
    long value = 0;
    for (int i = 7; i >= 0; i--) {
      value = (value << 8) | (bytes[offset + i] & 0xffL);
    }
    return value;
  }
}
