package com.reservebtc.indexer.coverage;

import com.reservebtc.indexer.chain.Address;
import com.reservebtc.indexer.decode.ChainRecord;
import com.reservebtc.indexer.decode.EventNames;
import com.reservebtc.indexer.deployment.Deployment;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Per contract, which blocks have been published and which are still to catch up, with live counts
 * per event: the part of the indexer's committed state that the Kafka cursor has no field for. It
 * is stored in the {@code indexer} schema under the digest of the cursor it belongs to, so it is
 * exactly as committed as that cursor (see {@code CoverageRepository}).
 *
 * <p>Immutable: every change returns a new value, so a failed transaction leaves the old one
 * intact. Configuration changes are applied with {@link #reconfigure}: a contract added while the
 * indexer is at block T is followed live from T+1 and its blocks from its start block to T become a
 * gap that is caught up (only once those blocks are final, so catch-up never has to be retracted).
 */
public final class Coverage {

  private final Map<Address, DeploymentCoverage> byAddress;

  private Coverage(Map<Address, DeploymentCoverage> byAddress) {
    Map<Address, DeploymentCoverage> sorted =
        new TreeMap<>((a, b) -> a.value().compareTo(b.value()));
    sorted.putAll(byAddress);
    this.byAddress = java.util.Collections.unmodifiableMap(sorted);
  }

  public static Coverage of(Collection<DeploymentCoverage> deployments) {
    Map<Address, DeploymentCoverage> all = new LinkedHashMap<>();
    for (DeploymentCoverage deployment : deployments) {
      if (all.put(deployment.address(), deployment) != null) {
        throw new IllegalArgumentException(deployment.address() + " is covered twice");
      }
    }
    return new Coverage(all);
  }

  /** Nothing published yet: every configured contract is followed from its start block. */
  public static Coverage fresh(List<Deployment> configured) {
    return empty().reconfigure(configured, -1).coverage();
  }

  /**
   * For a cursor without stored coverage (written by a release that did not store it): assumes, as
   * that release did, that every configured contract was followed from its start block, and counts
   * from the block after the cursor on.
   */
  public static Coverage assumedComplete(List<Deployment> configured, long tip) {
    List<DeploymentCoverage> all = new ArrayList<>();
    for (Deployment d : configured) {
      all.add(
          new DeploymentCoverage(
              d.address(),
              d.kind(),
              d.startBlock(),
              d.startBlock(),
              -1,
              List.of(),
              Map.of(),
              Math.max(d.startBlock(), tip + 1)));
    }
    return of(all);
  }

  static Coverage empty() {
    return new Coverage(Map.of());
  }

  /** The coverage after a configuration change, with one line per change for the log. */
  public record Reconfigured(Coverage coverage, List<String> changes) {}

  /**
   * Applies the configured contracts to this coverage, the indexer standing at {@code tip} (-1 if
   * nothing is published yet). Contracts no longer configured are retired (their gaps kept, in case
   * they come back); contracts configured again catch up on what they missed; a lowered start block
   * becomes a gap. A raised start block changes nothing: what is published stays published.
   */
  public Reconfigured reconfigure(List<Deployment> configured, long tip) {
    Map<Address, DeploymentCoverage> next = new LinkedHashMap<>(byAddress);
    List<String> changes = new ArrayList<>();
    Map<Address, Deployment> wanted = new HashMap<>();
    for (Deployment d : configured) {
      wanted.put(d.address(), d);
      DeploymentCoverage known = byAddress.get(d.address());
      if (known == null) {
        next.put(d.address(), added(d, tip, changes));
      } else {
        next.put(d.address(), reconfigured(known, d, tip, changes));
      }
    }
    for (DeploymentCoverage known : byAddress.values()) {
      if (!wanted.containsKey(known.address()) && known.active()) {
        if (tip < 0) {
          next.remove(known.address());
          continue;
        }
        next.put(
            known.address(),
            new DeploymentCoverage(
                known.address(),
                known.kind(),
                known.startBlock(),
                -1,
                Math.max(tip, known.startBlock() - 1),
                known.gaps(),
                known.counts(),
                known.countedFrom()));
        changes.add(
            known.kind()
                + " "
                + known.address()
                + " is no longer configured: not indexed after block "
                + tip
                + "; what was published stays");
      }
    }
    return new Reconfigured(new Coverage(next), changes);
  }

  private static DeploymentCoverage added(Deployment d, long tip, List<String> changes) {
    if (tip < 0 || d.startBlock() > tip) {
      return new DeploymentCoverage(
          d.address(),
          d.kind(),
          d.startBlock(),
          d.startBlock(),
          -1,
          List.of(),
          Map.of(),
          d.startBlock());
    }
    BlockRange gap = new BlockRange(d.startBlock(), tip);
    changes.add(
        d.kind()
            + " "
            + d.address()
            + " is new: followed from block "
            + (tip + 1)
            + ", blocks "
            + gap
            + " are caught up once final");
    return new DeploymentCoverage(
        d.address(), d.kind(), d.startBlock(), tip + 1, -1, List.of(gap), Map.of(), d.startBlock());
  }

  private static DeploymentCoverage reconfigured(
      DeploymentCoverage known, Deployment d, long tip, List<String> changes) {
    long liveFrom = known.liveFrom();
    long retiredAfter = known.retiredAfter();
    List<BlockRange> gaps = known.gaps();
    long startBlock = known.startBlock();
    if (!known.active()) {
      liveFrom = Math.max(tip + 1, startBlock);
      if (retiredAfter < tip) {
        gaps = DeploymentCoverage.addGap(gaps, new BlockRange(retiredAfter + 1, tip));
      }
      retiredAfter = -1;
      changes.add(
          d.kind()
              + " "
              + d.address()
              + " is configured again: followed from block "
              + liveFrom
              + (known.retiredAfter() < tip
                  ? ", blocks " + (known.retiredAfter() + 1) + ".." + tip + " are caught up"
                  : ""));
    }
    if (d.startBlock() < startBlock) {
      long lowered = d.startBlock();
      if (liveFrom == startBlock && liveFrom > tip) {
        // Not reached yet: simply start earlier (but never at or below what is published).
        liveFrom = Math.max(lowered, tip + 1);
        if (lowered <= tip) {
          gaps = DeploymentCoverage.addGap(gaps, new BlockRange(lowered, tip));
        }
      } else {
        gaps = DeploymentCoverage.addGap(gaps, new BlockRange(lowered, startBlock - 1));
      }
      changes.add(
          d.kind()
              + " "
              + d.address()
              + " start block lowered from "
              + startBlock
              + " to "
              + lowered
              + ": the blocks in between are caught up");
      startBlock = lowered;
    } else if (d.startBlock() > startBlock) {
      changes.add(
          d.kind()
              + " "
              + d.address()
              + " start block raised from "
              + startBlock
              + " to "
              + d.startBlock()
              + ": records already published for the blocks in between stay published");
      if (liveFrom == startBlock && liveFrom > tip) {
        liveFrom = Math.max(d.startBlock(), tip + 1);
        startBlock = d.startBlock();
      }
      List<BlockRange> kept = new ArrayList<>();
      for (BlockRange gap : gaps) {
        if (gap.to() >= d.startBlock()) {
          kept.add(new BlockRange(Math.max(gap.from(), d.startBlock()), gap.to()));
        }
      }
      gaps = kept;
    }
    if (known.kind() != d.kind()) {
      changes.add(
          known.address()
              + " is now configured as "
              + d.kind()
              + " (was "
              + known.kind()
              + "); its logs are decoded as "
              + d.kind()
              + " from now on");
    }
    return new DeploymentCoverage(
        d.address(),
        d.kind(),
        startBlock,
        liveFrom,
        retiredAfter,
        gaps,
        known.counts(),
        Math.min(known.countedFrom(), startBlock));
  }

  public Collection<DeploymentCoverage> deployments() {
    return byAddress.values();
  }

  public Optional<DeploymentCoverage> get(Address address) {
    return Optional.ofNullable(byAddress.get(address));
  }

  /** The first block the main pass reads when nothing has been published yet. */
  public long firstBlock() {
    return byAddress.values().stream()
        .filter(DeploymentCoverage::active)
        .mapToLong(DeploymentCoverage::liveFrom)
        .min()
        .orElse(Long.MAX_VALUE);
  }

  /** Contracts the main pass reads somewhere in blocks up to {@code to}. */
  public List<Address> liveAddresses(long to) {
    List<Address> live = new ArrayList<>();
    for (DeploymentCoverage d : byAddress.values()) {
      if (d.active() && d.liveFrom() <= to) {
        live.add(d.address());
      }
    }
    return live;
  }

  /** Whether both coverages make the main pass read the same contracts from the same blocks. */
  public boolean sameLiveSet(Coverage other) {
    if (other == null || other.byAddress.size() != byAddress.size()) {
      return false;
    }
    for (DeploymentCoverage d : byAddress.values()) {
      DeploymentCoverage o = other.byAddress.get(d.address());
      if (o == null || o.liveFrom() != d.liveFrom() || o.kind() != d.kind()) {
        return false;
      }
    }
    return true;
  }

  /** Whether the main pass publishes logs of {@code address} in {@code block}. */
  public boolean publishesLive(Address address, long block) {
    DeploymentCoverage d = byAddress.get(address);
    return d != null && d.active() && block >= d.liveFrom();
  }

  /** One piece of catch-up work: blocks of one configured contract. */
  public record CatchUp(DeploymentCoverage deployment, BlockRange range) {}

  /**
   * The lowest gap of a configured contract that has final blocks, cut to at most {@code maxBlocks}
   * blocks up to {@code finalThrough}.
   */
  public Optional<CatchUp> nextCatchUp(long finalThrough, long maxBlocks) {
    CatchUp best = null;
    for (DeploymentCoverage d : byAddress.values()) {
      if (!d.active() || d.gaps().isEmpty()) {
        continue;
      }
      BlockRange gap = d.gaps().get(0);
      if (gap.from() > finalThrough) {
        continue;
      }
      long to = Math.min(gap.to(), Math.min(finalThrough, gap.from() + maxBlocks - 1));
      if (best == null || gap.from() < best.range().from()) {
        best = new CatchUp(d, new BlockRange(gap.from(), to));
      }
    }
    return Optional.ofNullable(best);
  }

  /** The coverage once {@code done}, the start of a gap of {@code address}, is published. */
  public Coverage caughtUp(Address address, BlockRange done) {
    DeploymentCoverage d = require(address);
    List<BlockRange> gaps = new ArrayList<>(d.gaps());
    if (gaps.isEmpty() || gaps.get(0).from() != done.from() || gaps.get(0).to() < done.to()) {
      throw new IllegalArgumentException(
          done + " is not the start of the first gap of " + address + ": " + d.gaps());
    }
    BlockRange first = gaps.remove(0);
    if (first.to() > done.to()) {
      gaps.add(0, new BlockRange(done.to() + 1, first.to()));
    }
    return replace(d.withGaps(gaps));
  }

  /**
   * The coverage after a reorg cut the published chain back to {@code forkBlock}: the main pass
   * reads every block above it again, so contracts it joined above the fork are followed from the
   * block after the fork, and retired contracts lose what the reorg took.
   */
  public Coverage rewound(long forkBlock) {
    Map<Address, DeploymentCoverage> next = new LinkedHashMap<>();
    for (DeploymentCoverage d : byAddress.values()) {
      if (d.active()) {
        long liveFrom = Math.max(d.startBlock(), Math.min(d.liveFrom(), forkBlock + 1));
        next.put(
            d.address(),
            new DeploymentCoverage(
                d.address(),
                d.kind(),
                d.startBlock(),
                liveFrom,
                -1,
                DeploymentCoverage.clip(d.gaps(), liveFrom - 1),
                d.counts(),
                d.countedFrom()));
      } else {
        next.put(
            d.address(),
            new DeploymentCoverage(
                d.address(),
                d.kind(),
                d.startBlock(),
                -1,
                Math.max(d.startBlock() - 1, Math.min(d.retiredAfter(), forkBlock)),
                d.gaps(),
                d.counts(),
                d.countedFrom()));
      }
    }
    return new Coverage(next);
  }

  /** The coverage with {@code published} counted in and {@code retracted} counted out. */
  public Coverage counted(Collection<ChainRecord> published, Collection<ChainRecord> retracted) {
    if (published.isEmpty() && retracted.isEmpty()) {
      return this;
    }
    Map<String, Map<String, Long>> counts = new HashMap<>();
    tally(counts, published, 1);
    tally(counts, retracted, -1);
    Map<Address, DeploymentCoverage> next = new LinkedHashMap<>(byAddress);
    counts.forEach(
        (contract, delta) -> {
          DeploymentCoverage d = byAddress.get(Address.of(contract));
          if (d == null) {
            return;
          }
          Map<String, Long> merged = new TreeMap<>(d.counts());
          delta.forEach((event, n) -> merged.merge(event, n, Long::sum));
          next.put(d.address(), d.withCounts(merged));
        });
    return new Coverage(next);
  }

  private static void tally(
      Map<String, Map<String, Long>> counts, Collection<ChainRecord> records, long sign) {
    String last = null;
    Map<String, Long> current = null;
    for (ChainRecord record : records) {
      // Contracts in records are lowercase already (they come from validated logs).
      String contract = record.log().getContract();
      if (!contract.equals(last)) {
        current = counts.computeIfAbsent(contract, a -> new HashMap<>());
        last = contract;
      }
      current.merge(EventNames.of(record), sign, Long::sum);
    }
  }

  private DeploymentCoverage require(Address address) {
    DeploymentCoverage d = byAddress.get(address);
    if (d == null) {
      throw new IllegalArgumentException(address + " is not covered");
    }
    return d;
  }

  private Coverage replace(DeploymentCoverage d) {
    Map<Address, DeploymentCoverage> next = new LinkedHashMap<>(byAddress);
    next.put(d.address(), d);
    return new Coverage(next);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Coverage c && c.byAddress.equals(byAddress);
  }

  @Override
  public int hashCode() {
    return byAddress.hashCode();
  }

  @Override
  public String toString() {
    return "Coverage" + byAddress.values();
  }
}
