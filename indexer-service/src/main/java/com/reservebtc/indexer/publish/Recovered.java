package com.reservebtc.indexer.publish;

import com.reservebtc.indexer.reorg.IndexedChain;

/**
 * The committed state found in Kafka at start-up.
 *
 * @param chain the last committed cursor, or {@link IndexedChain#empty()} if none
 * @param lastConfirmed highest CONFIRMED marker found, -1 if none
 * @param lastFinalized highest FINALIZED marker found, -1 if none
 * @param cursorDigest SHA-256 (hex) of the committed cursor record's bytes, null if none
 * @param cursorMillis the committed cursor's {@code updatedAtMillis}, 0 if none
 */
public record Recovered(
    IndexedChain chain,
    long lastConfirmed,
    long lastFinalized,
    String cursorDigest,
    long cursorMillis) {}
