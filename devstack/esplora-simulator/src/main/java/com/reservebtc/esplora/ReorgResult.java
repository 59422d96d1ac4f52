package com.reservebtc.esplora;

import java.util.List;

/**
 * Outcome of a simulated reorg.
 *
 * @param oldTip the tip before the reorg
 * @param newTip the tip after the replacement blocks were mined
 * @param orphaned hashes of the blocks that left the canonical chain, lowest height first
 * @param dropped txids removed from the chain and the mempool (the requested ones and every
 *     transaction spending them); coinbases of orphaned blocks also vanish but are not listed
 */
public record ReorgResult(
    BlockRef oldTip, BlockRef newTip, List<String> orphaned, List<String> dropped) {
  public ReorgResult {
    orphaned = List.copyOf(orphaned);
    dropped = List.copyOf(dropped);
  }
}
