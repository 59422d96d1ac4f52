package com.reservebtc.devstack.chaos;

import com.reservebtc.contracts.deploy.ProtocolDeployment;
import com.reservebtc.devstack.chaos.FaultPlan.ChainFault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;

/**
 * Carries out the chain's timeline of a {@link FaultPlan}: {@code anvil_reorg} below the CONFIRMED
 * depth and A→B→A flips ({@link FlipFlop}), and remembers every log that left the chain (and by
 * which fault), so a read model still holding one is reported as holding a retracted event.
 */
final class ChainFaults {

  private static final int FLIP_ATTEMPTS = 3;
  private static final Duration BETWEEN_FLIP_ATTEMPTS = Duration.ofSeconds(5);

  private final AnvilControl anvil;
  private final FlipFlop flipFlop;
  private final Journal journal;
  private final Lock indexerLock;
  private final long chainId;
  private final ProtocolDeployment deployment;
  private final Runnable fillA;
  private final Map<String, String> orphaned = new ConcurrentHashMap<>();
  private int flips;
  private int flipsRepeated;

  ChainFaults(
      AnvilControl anvil,
      FlipFlop flipFlop,
      Journal journal,
      Lock indexerLock,
      long chainId,
      ProtocolDeployment deployment,
      Runnable fillA) {
    this.anvil = anvil;
    this.flipFlop = flipFlop;
    this.journal = journal;
    this.indexerLock = indexerLock;
    this.chainId = chainId;
    this.deployment = deployment;
    this.fillA = fillA;
  }

  void run(List<ChainFault> faults, BooleanSupplier stop) {
    for (int i = 0; i < faults.size(); i++) {
      ChainFault fault = faults.get(i);
      Pause.of(fault.gap());
      if (stop.getAsBoolean()) {
        return;
      }
      if (fault.flipFlop()) {
        flip(fault.depth(), "A→B→A #" + (i + 1));
      } else {
        reorg(fault.depth(), "reorg #" + (i + 1));
      }
    }
  }

  /** Publications ({@code eventId@blockHash}) that left the chain, with the fault that did it. */
  Map<String, String> orphaned() {
    return Map.copyOf(orphaned);
  }

  int flips() {
    return flips;
  }

  int flipsWithRepeatedHashes() {
    return flipsRepeated;
  }

  private void reorg(int depth, String name) {
    Duration at = journal.elapsed();
    BlockInfo before = anvil.head();
    List<ChainEvent> leaving =
        ChainTruth.logs(
            anvil.rpc(), chainId, deployment, before.number() - depth + 1, before.number());
    anvil.reorg(depth);
    BlockInfo after = anvil.block(before.number() - depth + 1);
    // a block mined between reading the head and the reorg moves the replaced range up by one
    leaving.forEach(e -> orphaned.put(e.publication(), name + " at " + Journal.stamp(at)));
    journal.fault(
        at,
        "anvil_reorg",
        "chain",
        "depth "
            + depth
            + " from head "
            + before.number()
            + " "
            + before.shortHash()
            + ": "
            + leaving.size()
            + " logs left the chain; block "
            + after.number()
            + " is now "
            + after.shortHash(),
        true);
  }

  /**
   * One planned flip. A flip whose A did not come back block for block (the node put a service's
   * transaction sent meanwhile into a block mined again, or ordered the block's transactions
   * differently) has still left a valid chain behind, an ordinary reorg for the services; it is
   * journaled as such and the flip is tried again, so the run still carries its planned number of
   * A→B→A flips with every hash repeated.
   */
  private void flip(int blocks, String name) {
    for (int attempt = 1; ; attempt++) {
      boolean last = attempt == FLIP_ATTEMPTS;
      FlipFlop.Result result = flipOnce(blocks, attempt == 1 ? name : name + " (again)", last);
      if (result.hashesRepeated() || last) {
        flips++;
        if (result.hashesRepeated()) {
          flipsRepeated++;
        }
        return;
      }
      Pause.of(BETWEEN_FLIP_ATTEMPTS);
    }
  }

  private FlipFlop.Result flipOnce(int blocks, String name, boolean last) {
    indexerLock.lock();
    try {
      Duration at = journal.elapsed();
      FlipFlop.Result result =
          flipFlop.run(
              blocks,
              fillA,
              forkB ->
                  ChainTruth.logs(
                          anvil.rpc(),
                          chainId,
                          deployment,
                          forkB.get(0).number(),
                          forkB.get(forkB.size() - 1).number())
                      .forEach(
                          e ->
                              orphaned.put(
                                  e.publication(), name + " (fork B) at " + Journal.stamp(at))));
      boolean seen = result.indexerSawA() && result.indexerSawB();
      if (result.hashesRepeated() || last) {
        journal.fault(at, "A→B→A", "chain", result.describe(), seen && result.hashesRepeated());
      } else {
        journal.fault(
            at,
            "A→B→A, not repeated",
            "chain",
            result.describe() + "; a reorg for the services, the flip is tried again",
            seen);
      }
      return result;
    } finally {
      indexerLock.unlock();
    }
  }
}
