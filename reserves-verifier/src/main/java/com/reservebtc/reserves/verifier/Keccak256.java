package com.reservebtc.reserves.verifier;

/**
 * Keccak-256 as Ethereum uses it: the original Keccak padding (0x01 … 0x80), not SHA3-256's (0x06 …
 * 0x80). Rate 136 bytes, capacity 512 bits, 24 rounds of Keccak-f[1600].
 */
public final class Keccak256 {

  private static final int RATE = 136;

  private static final long[] ROUND_CONSTANTS = {
    0x0000000000000001L, 0x0000000000008082L, 0x800000000000808AL, 0x8000000080008000L,
    0x000000000000808BL, 0x0000000080000001L, 0x8000000080008081L, 0x8000000000008009L,
    0x000000000000008AL, 0x0000000000000088L, 0x0000000080008009L, 0x000000008000000AL,
    0x000000008000808BL, 0x800000000000008BL, 0x8000000000008089L, 0x8000000000008003L,
    0x8000000000008002L, 0x8000000000000080L, 0x000000000000800AL, 0x800000008000000AL,
    0x8000000080008081L, 0x8000000000008080L, 0x0000000080000001L, 0x8000000080008008L
  };

  /** Rotation of lane x + 5y. */
  private static final int[] ROTATIONS = {
    0, 1, 62, 28, 27, //
    36, 44, 6, 55, 20, //
    3, 10, 43, 25, 39, //
    41, 45, 15, 21, 8, //
    18, 2, 61, 56, 14
  };

  private Keccak256() {}

  public static byte[] digest(byte[] input) {
    long[] state = new long[25];
    int offset = 0;
    while (input.length - offset >= RATE) {
      absorb(state, input, offset);
      permute(state);
      offset += RATE;
    }
    byte[] last = new byte[RATE];
    int remaining = input.length - offset;
    System.arraycopy(input, offset, last, 0, remaining);
    last[remaining] ^= 0x01;
    last[RATE - 1] ^= (byte) 0x80;
    absorb(state, last, 0);
    permute(state);
    byte[] out = new byte[32];
    for (int lane = 0; lane < 4; lane++) {
      for (int b = 0; b < 8; b++) {
        out[lane * 8 + b] = (byte) (state[lane] >>> (8 * b));
      }
    }
    return out;
  }

  private static void absorb(long[] state, byte[] block, int offset) {
    for (int lane = 0; lane < RATE / 8; lane++) {
      long value = 0;
      for (int b = 7; b >= 0; b--) {
        value = (value << 8) | (block[offset + lane * 8 + b] & 0xffL);
      }
      state[lane] ^= value;
    }
  }

  private static void permute(long[] a) {
    long[] c = new long[5];
    long[] b = new long[25];
    for (long roundConstant : ROUND_CONSTANTS) {
      for (int x = 0; x < 5; x++) {
        c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
      }
      for (int x = 0; x < 5; x++) {
        long d = c[(x + 4) % 5] ^ Long.rotateLeft(c[(x + 1) % 5], 1);
        for (int y = 0; y < 25; y += 5) {
          a[x + y] ^= d;
        }
      }
      for (int x = 0; x < 5; x++) {
        for (int y = 0; y < 5; y++) {
          b[y + 5 * ((2 * x + 3 * y) % 5)] = Long.rotateLeft(a[x + 5 * y], ROTATIONS[x + 5 * y]);
        }
      }
      for (int y = 0; y < 25; y += 5) {
        for (int x = 0; x < 5; x++) {
          a[x + y] = b[x + y] ^ (~b[(x + 1) % 5 + y] & b[(x + 2) % 5 + y]);
        }
      }
      a[0] ^= roundConstant;
    }
  }
}
