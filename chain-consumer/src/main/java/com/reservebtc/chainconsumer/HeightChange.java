package com.reservebtc.chainconsumer;

import com.reservebtc.schemas.avro.BlockMarkerKind;

/**
 * A block height of a chain moved (up, or down after a reorg) by a marker of this batch.
 *
 * @param chainId the chain
 * @param kind HEAD, CONFIRMED or FINALIZED
 * @param from the height before, or {@code null} if none was known
 * @param to the height now
 */
public record HeightChange(long chainId, BlockMarkerKind kind, Long from, long to) {}
