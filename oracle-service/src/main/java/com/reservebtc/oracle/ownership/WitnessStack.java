package com.reservebtc.oracle.ownership;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A segwit witness stack in consensus encoding: {@code compactSize(n)} followed by n items of
 * {@code compactSize(len) || bytes}. This is what a BIP-322 "simple" signature is.
 *
 * <p>Guarantees: {@link #parse} accepts only an encoding that is complete, minimal (no
 * non-canonical compact sizes) and has no trailing bytes, so one signature has one meaning. Limits
 * the item count and sizes to what a single-key witness could plausibly need.
 */
final class WitnessStack {

  /** Far more than a single-key witness needs; bounds the work a hostile input can cause. */
  static final int MAX_ITEMS = 64;

  static final int MAX_ITEM_BYTES = 4_096;

  private final List<byte[]> items;

  private WitnessStack(List<byte[]> items) {
    this.items = items;
  }

  int size() {
    return items.size();
  }

  byte[] item(int index) {
    return items.get(index).clone();
  }

  /** The stack, or empty if {@code encoded} is not exactly one well-formed witness stack. */
  static Optional<WitnessStack> parse(byte[] encoded) {
    Reader reader = new Reader(encoded);
    long count = reader.compactSize();
    if (count < 0 || count > MAX_ITEMS) {
      return Optional.empty();
    }
    List<byte[]> items = new ArrayList<>((int) count);
    for (int i = 0; i < count; i++) {
      long length = reader.compactSize();
      if (length < 0 || length > MAX_ITEM_BYTES) {
        return Optional.empty();
      }
      byte[] item = reader.bytes((int) length);
      if (item == null) {
        return Optional.empty();
      }
      items.add(item);
    }
    return reader.atEnd() ? Optional.of(new WitnessStack(List.copyOf(items))) : Optional.empty();
  }

  /** Reads the encoding; every method returns -1 or null instead of throwing on bad input. */
  private static final class Reader {
    private final byte[] data;
    private int at;

    Reader(byte[] data) {
      this.data = data;
    }

    long compactSize() {
      if (at >= data.length) {
        return -1;
      }
      int first = data[at++] & 0xff;
      if (first < 0xfd) {
        return first;
      }
      int width = first == 0xfd ? 2 : first == 0xfe ? 4 : 8;
      if (at + width > data.length) {
        return -1;
      }
      long value = 0;
      for (int i = 0; i < width; i++) {
        value |= (long) (data[at + i] & 0xff) << (8 * i);
      }
      at += width;
      long minimum = first == 0xfd ? 0xfd : first == 0xfe ? 0x10000L : 0x100000000L;
      // Non-minimal sizes (and 8-byte values above Long.MAX_VALUE) are not canonical encodings.
      return value < minimum ? -1 : value;
    }

    byte[] bytes(int length) {
      if (length > data.length - at) {
        return null;
      }
      byte[] out = new byte[length];
      System.arraycopy(data, at, out, 0, length);
      at += length;
      return out;
    }

    boolean atEnd() {
      return at == data.length;
    }
  }
}
