package com.reservebtc.indexer.reorg;

import com.reservebtc.indexer.chain.BlockRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the indexer has published so far: the last fully indexed block (the tip; everything up to it
 * is published) and the window of recent blocks a reorg could still orphan, oldest first.
 * Immutable: every change returns a new value, so a failed transaction leaves the old one intact.
 *
 * @param tip null before the first block has been indexed
 */
public record IndexedChain(BlockRef tip, List<WindowBlock> window) {

  public IndexedChain {
    window = List.copyOf(window);
    for (int i = 1; i < window.size(); i++) {
      if (window.get(i).number() <= window.get(i - 1).number()) {
        throw new IllegalArgumentException("window blocks must be in ascending order");
      }
    }
    if (tip == null && !window.isEmpty()) {
      throw new IllegalArgumentException("a window without a tip");
    }
    if (tip != null && !window.isEmpty() && window.get(window.size() - 1).number() > tip.number()) {
      throw new IllegalArgumentException("window block above the tip " + tip.number());
    }
  }

  public static IndexedChain empty() {
    return new IndexedChain(null, List.of());
  }

  public Optional<BlockRef> tipRef() {
    return Optional.ofNullable(tip);
  }

  /** The next block to index: after the tip, or {@code firstBlock} when nothing is indexed. */
  public long nextBlock(long firstBlock) {
    return tip == null ? firstBlock : tip.number() + 1;
  }

  public Optional<WindowBlock> block(long number) {
    return window.stream().filter(b -> b.number() == number).findFirst();
  }

  /**
   * Moves the tip to {@code newTip}, appends {@code newBlocks} (ascending, above the old tip) and
   * forgets blocks at or below {@code forgetAtOrBelow}, which are deeper than any reorg handled.
   */
  public IndexedChain extend(BlockRef newTip, List<WindowBlock> newBlocks, long forgetAtOrBelow) {
    List<WindowBlock> next = new ArrayList<>(window.size() + newBlocks.size());
    for (WindowBlock block : window) {
      if (block.number() > forgetAtOrBelow) {
        next.add(block);
      }
    }
    for (WindowBlock block : newBlocks) {
      if (tip != null && block.number() <= tip.number()) {
        throw new IllegalArgumentException(
            "block " + block.number() + " is not above the tip " + tip.number());
      }
      if (block.number() > forgetAtOrBelow) {
        next.add(block);
      }
    }
    return new IndexedChain(newTip, next);
  }

  /** The chain cut back to the fork point of {@code fork}: orphaned blocks removed. */
  public IndexedChain rewind(ForkPoint fork) {
    List<WindowBlock> kept =
        window.stream().filter(b -> b.number() <= fork.block().number()).toList();
    return new IndexedChain(fork.block(), kept);
  }
}
