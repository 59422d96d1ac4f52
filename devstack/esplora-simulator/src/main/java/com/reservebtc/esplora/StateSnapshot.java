package com.reservebtc.esplora;

import java.util.List;

/**
 * Everything needed to rebuild a {@link ChainState}: the persisted form of the chain. Indexes are
 * derived on load, so the file holds each fact once.
 *
 * @param format file format version, {@link #FORMAT}
 * @param version change counter of the chain when the snapshot was taken
 * @param blocks canonical chain from genesis
 * @param orphaned blocks that left the canonical chain through reorgs
 * @param txs every live transaction, in creation order
 * @param mempool pending txids in mempool order
 */
record StateSnapshot(
    int format,
    String network,
    long version,
    long nextNonce,
    List<Block> blocks,
    List<Block> orphaned,
    List<Tx> txs,
    List<String> mempool) {

  static final int FORMAT = 1;
}
