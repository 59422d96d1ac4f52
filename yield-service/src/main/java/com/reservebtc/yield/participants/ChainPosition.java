package com.reservebtc.yield.participants;

/**
 * Where a log sits: chain, block, log index, and its event id last, which only breaks ties a real
 * chain never has (two logs with one index in a block) so that the order is total. A user's events
 * on several chains keep one fixed order too.
 */
record ChainPosition(long chainId, long blockNumber, int logIndex, String eventId)
    implements Comparable<ChainPosition> {

  @Override
  public int compareTo(ChainPosition other) {
    int c = Long.compare(chainId, other.chainId);
    if (c != 0) {
      return c;
    }
    c = Long.compare(blockNumber, other.blockNumber);
    c = Integer.compare(logIndex, other.logIndex);
    return c != 0 ? c : eventId.compareTo(other.eventId);
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
