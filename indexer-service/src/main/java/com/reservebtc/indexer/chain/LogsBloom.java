package com.reservebtc.indexer.chain;

import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import org.web3j.crypto.Hash;

/**
 * A block header's 2048-bit {@code logsBloom}: for every log of the block, the emitting address and
 * each topic set three bits each (from their Keccak-256 hash). A bloom never misses a value that is
 * in the block, so a block whose bloom does not hold both an address and a topic 0 of interest has
 * none of those logs; the converse may be a false positive. Immutable.
 */
public final class LogsBloom {

  private static final int BYTES = 256;

  private final byte[] bits;

  private LogsBloom(byte[] bits) {
    this.bits = bits;
  }

  /**
   * Parses the node's 0x hex bloom.
   *
   * @throws IllegalArgumentException if it is not 256 bytes of hex
   */
  public static LogsBloom parse(String hex) {
    if (hex == null || !hex.startsWith("0x") || hex.length() != 2 + 2 * BYTES) {
      throw new IllegalArgumentException("logsBloom is not 256 bytes of 0x hex");
    }
    return new LogsBloom(HexFormat.of().parseHex(hex, 2, hex.length()));
  }

  /** The three bloom bits of one value (an address or a topic), as precomputed positions. */
  public record Probe(int[] bits) {

    /** The probe of a 0x hex address or topic. */
    public static Probe of(String hex) {
      byte[] hash = Hash.sha3(HexFormat.of().parseHex(hex, 2, hex.length()));
      int[] bits = new int[3];
      for (int i = 0; i < 3; i++) {
        bits[i] = (((hash[2 * i] & 0xff) << 8) | (hash[2 * i + 1] & 0xff)) & 2047;
      }
      return new Probe(bits);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Probe p && Arrays.equals(bits, p.bits);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bits);
    }

    @Override
    public String toString() {
      return Arrays.toString(bits);
    }
  }

  /** Whether the bloom may hold {@code probe} (no false negatives). */
  public boolean mightContain(Probe probe) {
    for (int bit : probe.bits()) {
      if ((bits[BYTES - 1 - bit / 8] & (1 << (bit % 8))) == 0) {
        return false;
      }
    }
    return true;
  }

  /** Whether the block may hold a log of one of {@code addresses} with one of {@code topic0s}. */
  public boolean mightContainAny(Collection<Probe> addresses, Collection<Probe> topic0s) {
    return addresses.stream().anyMatch(this::mightContain)
        && topic0s.stream().anyMatch(this::mightContain);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LogsBloom b && Arrays.equals(bits, b.bits);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bits);
  }
}
