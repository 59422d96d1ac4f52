package com.reservebtc.yield.participants;

import java.math.BigInteger;

/**
 * One canonical chain event that concerns the pool, as stored in {@code yield_ledger} (the computed
 * columns apart).
 *
 * @param eventId {@code chainId:txHash:logIndex}
 * @param time the block's timestamp, epoch seconds
 * @param amount sats for token events and burns, base units for joins and claims, the reported
 *     balance for disputes
 * @param participantType for {@link EntryKind#JOINED}: 0 holder, 1 trader; else null
 * @param details free text (a dispute's oracle balance)
 */
record LedgerEntry(
    String eventId,
    long chainId,
    long blockNumber,
    int logIndex,
    String txHash,
    String blockHash,
    long time,
    String user,
    EntryKind kind,
    BigInteger amount,
    Integer participantType,
    String details) {

  /** The entry's place in the chain: the order every fold goes in. */
  ChainPosition position() {
    return new ChainPosition(chainId, blockNumber, logIndex, eventId);
  }

  /** A signed supply change in sats (zero for entries that do not move the supply). */
  long supplyDelta() {
    return switch (kind) {
      case MINT -> amount.longValueExact();
      case BURN -> -amount.longValueExact();
      default -> 0;
    };
  }
}
