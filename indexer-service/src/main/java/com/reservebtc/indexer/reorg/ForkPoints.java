package com.reservebtc.indexer.reorg;

import com.reservebtc.indexer.chain.BlockRef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * Finds the fork point after a reorg by walking the indexed window back from its newest block and
 * asking the node for the canonical hash at each height, stopping at the first match. Only the
 * window is consulted: nodes do not reliably report removed logs, so hashes are the only truth.
 */
public final class ForkPoints {

  private ForkPoints() {}

  /**
   * @param canonicalHash the node's canonical block hash at a height, empty if it has none
   * @throws ReorgTooDeepException if no block of the window is canonical any more
   */
  public static ForkPoint find(IndexedChain indexed, LongFunction<Optional<String>> canonicalHash) {
    List<WindowBlock> window = indexed.window();
    List<WindowBlock> orphaned = new ArrayList<>();
    for (int i = window.size() - 1; i >= 0; i--) {
      WindowBlock block = window.get(i);
      Optional<String> canonical = canonicalHash.apply(block.number());
      if (canonical.isPresent() && canonical.get().equals(block.hash())) {
        Collections.reverse(orphaned);
        return new ForkPoint(new BlockRef(block.number(), block.hash()), orphaned);
      }
      orphaned.add(block);
    }
    throw new ReorgTooDeepException(
        window.isEmpty()
            ? "the chain reorganised below indexed block "
                + indexed.tipRef().map(BlockRef::number).orElse(-1L)
                + ", which is older than the reorg window (rbtc.chain.finalized-depth);"
                + " re-index from a block below the fork"
            : "the chain reorganised below block "
                + window.get(0).number()
                + ", the oldest of the "
                + window.size()
                + " blocks in the reorg window (rbtc.chain.finalized-depth); none of them is"
                + " canonical any more; re-index from a block below the fork");
  }
}
