package com.reservebtc.yield.participants;

/**
 * Where a log sits: chain, block, log index. Ordered by all three, so a user's events on several
 * chains (only in tests and migrations between chains) still have one fixed order.
 */
record ChainPosition(long chainId, long blockNumber, int logIndex)
    implements Comparable<ChainPosition> {

  @Override
  public int compareTo(ChainPosition other) {
    int c = Long.compare(chainId, other.chainId);
    if (c != 0) {
      return c;
    }
    c = Long.compare(blockNumber, other.blockNumber);
    return c != 0 ? c : Integer.compare(logIndex, other.logIndex);
  }

  static ChainPosition min(ChainPosition a, ChainPosition b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a.compareTo(b) <= 0 ? a : b;
  }
}
