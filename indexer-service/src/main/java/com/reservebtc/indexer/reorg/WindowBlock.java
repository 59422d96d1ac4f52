package com.reservebtc.indexer.reorg;

import com.reservebtc.indexer.chain.Hashes;
import com.reservebtc.indexer.decode.ChainRecord;
import java.util.List;

/**
 * A recently indexed block that a reorg could still orphan, with every record published for it, so
 * that the records can be re-published as retractions.
 *
 * @param timestamp the block's timestamp in epoch seconds
 */
public record WindowBlock(
    long number, String hash, String parentHash, long timestamp, List<ChainRecord> records) {

  public WindowBlock {
    hash = Hashes.require("block hash", hash);
    parentHash = Hashes.require("parent hash", parentHash);
    records = List.copyOf(records);
  }
}
