package com.reservebtc.indexer.coverage;

/** Blocks {@code from..to}, both inclusive. */
public record BlockRange(long from, long to) {

  public BlockRange {
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("not a block range: " + from + ".." + to);
    }
  }

  public long size() {
    return to - from + 1;
  }

  @Override
  public String toString() {
    return from + ".." + to;
  }
}
