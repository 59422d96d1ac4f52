package com.reservebtc.indexer.reorg;

import com.reservebtc.indexer.chain.Hashes;
import com.reservebtc.indexer.decode.ChainRecord;
import java.util.List;

/**
 * A recently indexed block that a reorg could still orphan, with every record published for it, so
 * that the records can be re-published as retractions.
 *
 * @param timestamp the block's timestamp in epoch seconds; 0 when unknown, which happens only for a
 *     block without records restored from the cursor (the cursor does not store block timestamps)
 */
public record WindowBlock(
    long number, String hash, String parentHash, long timestamp, List<ChainRecord> records) {

  public WindowBlock {
    hash = Hashes.require("block hash", hash);
    parentHash = Hashes.require("parent hash", parentHash);
    records = List.copyOf(records);
  }

  /** A block restored from the cursor: its timestamp is the one its records carry, if any. */
  public static WindowBlock restored(
      long number, String hash, String parentHash, List<ChainRecord> records) {
    long timestamp = records.isEmpty() ? 0 : records.get(0).log().getBlockTimestamp();
    return new WindowBlock(number, hash, parentHash, timestamp, records);
  }
}
