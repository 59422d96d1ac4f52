package com.reservebtc.indexer.ingest;

/**
 * The outcome of an operator rewind: the indexer's tip is now {@code toBlock}; every record of the
 * {@code retractedBlocks} blocks above it was retracted, and indexing goes on from the next block.
 */
public record Rewound(
    long toBlock, String toBlockHash, int retractedBlocks, int retractedRecords) {}
