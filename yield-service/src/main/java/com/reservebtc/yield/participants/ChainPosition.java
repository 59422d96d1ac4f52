package com.reservebtc.yield.participants;

/**
 * Where a log sits: chain, block, log index, and its event id last, which only breaks ties a real
 * chain never has (two logs with one index in a block) so that the order is total. A user's events
 * on several chains keep one fixed order too. Event ids compare by UTF-16 code units, which for
 * their ASCII text is byte order: the order of the ledger's {@code event_id} column (COLLATE "C"),
 * so that a start chosen here is the same place in every SQL range over the ledger.
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
    if (c != 0) {
      return c;
    }
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
