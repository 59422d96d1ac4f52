package com.reservebtc.esplora;

/**
 * A cheap overview of the simulated chain, served at {@code GET /dev/state}.
 *
 * @param fault the active fault, or {@code null} when Esplora requests are answered normally
 */
public record ChainSummary(
    String network,
    int tipHeight,
    String tipHash,
    int mempoolSize,
    int addressCount,
    int txCount,
    int orphanedBlockCount,
    FaultRule fault) {}
