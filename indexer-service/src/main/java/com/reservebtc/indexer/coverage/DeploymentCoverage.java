package com.reservebtc.indexer.coverage;

import com.reservebtc.indexer.chain.Address;
import com.reservebtc.indexer.deployment.ContractKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What has been published for one contract: the main pass covers it from {@code liveFrom} on (while
 * it is configured), and {@code gaps} are the blocks below that still have to be caught up, because
 * the contract was added (or its start block lowered, or it was re-added) after the indexer had
 * passed them. Together: every log of the contract in {@code startBlock..tip} that is in no gap has
 * been published exactly once.
 *
 * @param liveFrom first block the main pass covers; -1 while the contract is not configured
 * @param retiredAfter while not configured: the last block whose logs were published; else -1
 * @param gaps blocks still to catch up, ascending and disjoint, all below {@code liveFrom}
 * @param counts live records (published minus retracted) per event name
 * @param countedFrom the counts are exact for blocks from this one on (older releases did not
 *     count)
 */
public record DeploymentCoverage(
    Address address,
    ContractKind kind,
    long startBlock,
    long liveFrom,
    long retiredAfter,
    List<BlockRange> gaps,
    Map<String, Long> counts,
    long countedFrom) {

  public DeploymentCoverage {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(kind, "kind");
    gaps = List.copyOf(gaps);
    counts = java.util.Collections.unmodifiableMap(new TreeMap<>(counts));
    for (int i = 1; i < gaps.size(); i++) {
      if (gaps.get(i).from() <= gaps.get(i - 1).to()) {
        throw new IllegalArgumentException("gaps of " + address + " overlap or are unordered");
      }
    }
    if ((liveFrom < 0) == (retiredAfter < 0)) {
      throw new IllegalArgumentException(
          address + " must be either live (liveFrom) or retired (retiredAfter)");
    }
  }

  public boolean active() {
    return liveFrom >= 0;
  }

  /** Blocks still to catch up. */
  public long pendingBlocks() {
    return gaps.stream().mapToLong(BlockRange::size).sum();
  }

  /**
   * The last block up to which every log of this contract, from its start block on, is published;
   * {@code startBlock - 1} if none.
   */
  public long indexedThrough(long mainTip) {
    long through = active() ? mainTip : retiredAfter;
    if (!gaps.isEmpty()) {
      through = Math.min(through, gaps.get(0).from() - 1);
    }
    return Math.max(startBlock - 1, through);
  }

  DeploymentCoverage withGaps(List<BlockRange> newGaps) {
    return new DeploymentCoverage(
        address, kind, startBlock, liveFrom, retiredAfter, newGaps, counts, countedFrom);
  }

  DeploymentCoverage withCounts(Map<String, Long> newCounts) {
    return new DeploymentCoverage(
        address, kind, startBlock, liveFrom, retiredAfter, gaps, newCounts, countedFrom);
  }

  /** Adds {@code range} to the gaps, merging with neighbours. */
  static List<BlockRange> addGap(List<BlockRange> gaps, BlockRange range) {
    List<BlockRange> all = new ArrayList<>(gaps);
    all.add(range);
    all.sort(java.util.Comparator.comparingLong(BlockRange::from));
    List<BlockRange> merged = new ArrayList<>();
    for (BlockRange next : all) {
      if (!merged.isEmpty() && next.from() <= merged.get(merged.size() - 1).to() + 1) {
        BlockRange last = merged.remove(merged.size() - 1);
        merged.add(new BlockRange(last.from(), Math.max(last.to(), next.to())));
      } else {
        merged.add(next);
      }
    }
    return merged;
  }

  /** The gaps with every block above {@code through} dropped. */
  static List<BlockRange> clip(List<BlockRange> gaps, long through) {
    List<BlockRange> kept = new ArrayList<>();
    for (BlockRange gap : gaps) {
      if (gap.from() <= through) {
        kept.add(new BlockRange(gap.from(), Math.min(gap.to(), through)));
      }
    }
    return kept;
  }
}
