package com.reservebtc.indexer.reorg;

import com.reservebtc.indexer.chain.BlockRef;
import java.util.List;

/**
 * Where the indexed chain and the node's canonical chain part: {@code block} is the newest indexed
 * block that is still canonical, {@code orphaned} the indexed blocks above it (oldest first), whose
 * records must be retracted.
 */
public record ForkPoint(BlockRef block, List<WindowBlock> orphaned) {

  public ForkPoint {
    orphaned = List.copyOf(orphaned);
  }
}
