package com.reservebtc.indexer.publish;

import com.reservebtc.indexer.reorg.IndexedChain;

/**
 * The committed state found in Kafka (and, for the window's records, the database) at start-up.
 *
 * @param chain the last committed cursor with its window, or {@link IndexedChain#empty()} if none
 * @param lastConfirmed height of the latest CONFIRMED marker, -1 if none
 * @param lastFinalized height of the latest FINALIZED marker, -1 if none
 * @param cursorDigest identity of the committed cursor record, null if none
 * @param cursorMillis the committed cursor's {@code updatedAtMillis}, 0 if none
 * @param legacyWindow the window came from a cursor of an earlier release that carried its records;
 *     they are not in the database yet
 */
public record Recovered(
    IndexedChain chain,
    long lastConfirmed,
    long lastFinalized,
    String cursorDigest,
    long cursorMillis,
    boolean legacyWindow) {}
