package com.reservebtc.indexer.publish;

import com.reservebtc.indexer.coverage.Coverage;
import com.reservebtc.indexer.decode.ChainRecord;
import com.reservebtc.indexer.reorg.IndexedChain;
import com.reservebtc.indexer.reorg.WindowBlock;
import com.reservebtc.schemas.avro.BlockMarker;
import java.util.List;
import java.util.Objects;

/**
 * Everything one Kafka transaction carries, in publication order: retractions of orphaned records,
 * RETRACTED markers followed by any lowered HEAD / CONFIRMED / FINALIZED markers, new records,
 * progress markers (HEAD / CONFIRMED / FINALIZED) and the cursor that covers them all, with the
 * coverage that belongs to that cursor and the window blocks this transaction adds (stored in the
 * database before the commit).
 *
 * @param confirmed the height of the latest CONFIRMED marker once this is published, -1 if none
 * @param finalized the height of the latest FINALIZED marker once this is published, -1 if none
 */
public record Publication(
    List<ChainRecord> retractions,
    List<BlockMarker> retractedBlocks,
    List<ChainRecord> records,
    List<BlockMarker> progress,
    IndexedChain cursor,
    Coverage coverage,
    List<WindowBlock> newWindowBlocks,
    long confirmed,
    long finalized) {

  public Publication {
    retractions = List.copyOf(retractions);
    retractedBlocks = List.copyOf(retractedBlocks);
    records = List.copyOf(records);
    progress = List.copyOf(progress);
    newWindowBlocks = List.copyOf(newWindowBlocks);
    Objects.requireNonNull(cursor, "cursor");
    Objects.requireNonNull(coverage, "coverage");
    if (cursor.tip() == null) {
      throw new IllegalArgumentException("a cursor without a tip cannot be published");
    }
  }
}
