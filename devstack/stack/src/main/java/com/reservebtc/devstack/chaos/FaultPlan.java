package com.reservebtc.devstack.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Which faults happen, in which order, and how long each waits: drawn once from the seed before the
 * run starts, and printed, so the same seed and options give the same plan. Two timelines run side
 * by side during the workload: the components' (kill -9 of one or several at once, each restarted
 * after a pause; one PostgreSQL outage) and the chain's (A→B→A flips and reorgs below the CONFIRMED
 * depth). When a fault happens in wall-clock time also depends on how long the previous one took
 * (restarts on a loaded machine), so the plan fixes the gaps between faults, not instants.
 */
record FaultPlan(long seed, List<ComponentFault> components, List<ChainFault> chain) {

  /** A component of the stack that can be killed and restarted. */
  enum Component {
    POSTGRES("PostgreSQL"),
    KAFKA("Kafka broker"),
    INDEXER("indexer-service"),
    ORACLE("oracle-service"),
    EMERGENCY_BURN("emergency-burn-service"),
    YIELD("yield-service"),
    GATEWAY("api-gateway");

    final String label;

    Component(String label) {
      this.label = label;
    }

    boolean isService() {
      return this != POSTGRES && this != KAFKA;
    }

    /** Components without which the indexer cannot publish (A→B→A waits for them). */
    boolean feedsTheIndexer() {
      return this == POSTGRES || this == KAFKA || this == INDEXER;
    }
  }

  /**
   * @param gap the pause before this fault
   * @param outage true for the planned graceful PostgreSQL outage, false for kill -9
   * @param targets what is hit at once
   * @param pause how long the targets stay down
   */
  record ComponentFault(Duration gap, boolean outage, List<Component> targets, Duration pause) {
    String describe() {
      return (outage ? "PostgreSQL outage (stop, wait, start)" : "kill -9 " + labels())
          + " after "
          + gap.toMillis()
          + " ms, down for "
          + pause.toMillis()
          + " ms";
    }

    String labels() {
      return String.join(" + ", targets.stream().map(c -> c.label).toList());
    }
  }

  /**
   * @param gap the pause before this fault
   * @param flipFlop A→B→A with {@code depth} blocks in A, else {@code anvil_reorg(depth)}
   */
  record ChainFault(Duration gap, boolean flipFlop, int depth) {
    String describe() {
      return (flipFlop ? "A→B→A with " + depth + " blocks in A" : "anvil_reorg depth " + depth)
          + " after "
          + gap.toMillis()
          + " ms";
    }
  }

  /**
   * Draws the plan: every component killed {@code killsPerComponent} times in a shuffled order, up
   * to {@code mostKilledAtOnce} at once, one PostgreSQL outage at a random place; the flips (the
   * first reaching below the CONFIRMED depth) and the deep reorgs interleaved at random.
   *
   * @param confirmationDepth the indexer's CONFIRMED depth: deep reorgs go below it
   * @param finalizedDepth the indexer's reorg window: every reorg stays within it
   */
  static FaultPlan draw(ChaosOptions o, int confirmationDepth, int finalizedDepth) {
    Random random = new Random(o.seed());
    List<Component> kills = new ArrayList<>();
    for (int i = 0; i < o.killsPerComponent(); i++) {
      kills.addAll(List.of(Component.values()));
    }
    Collections.shuffle(kills, random);
    List<ComponentFault> components = new ArrayList<>();
    for (int i = 0; i < kills.size(); i++) {
      List<Component> targets = new ArrayList<>(List.of(kills.get(i)));
      int together = 1 + random.nextInt(o.mostKilledAtOnce());
      while (targets.size() < together
          && i + 1 < kills.size()
          && !targets.contains(kills.get(i + 1))) {
        targets.add(kills.get(++i));
      }
      components.add(
          new ComponentFault(
              gap(random, o.faultGap()), false, List.copyOf(targets), pause(random, o)));
    }
    components.add(
        random.nextInt(components.size() + 1),
        new ComponentFault(
            gap(random, o.faultGap()), true, List.of(Component.POSTGRES), o.postgresOutage()));

    int deepest = Math.max(confirmationDepth + 1, finalizedDepth - 2);
    List<ChainFault> chain = new ArrayList<>();
    for (int i = 0; i < o.flipFlops(); i++) {
      int blocks = i == 0 ? confirmationDepth + 1 : 1 + random.nextInt(confirmationDepth + 2);
      chain.add(new ChainFault(gap(random, o.faultGap()), true, blocks));
    }
    for (int i = 0; i < o.deepReorgs(); i++) {
      int depth = confirmationDepth + 1 + random.nextInt(deepest - confirmationDepth);
      chain.add(new ChainFault(gap(random, o.faultGap()), false, depth));
    }
    Collections.shuffle(chain, random);
    return new FaultPlan(o.seed(), List.copyOf(components), List.copyOf(chain));
  }

  List<String> describe() {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < components.size(); i++) {
      lines.add("components " + (i + 1) + ": " + components.get(i).describe());
    }
    for (int i = 0; i < chain.size(); i++) {
      lines.add("chain " + (i + 1) + ": " + chain.get(i).describe());
    }
    return lines;
  }

  private static Duration gap(Random random, Duration base) {
    return base.plusMillis((long) (random.nextDouble() * base.toMillis()));
  }

  private static Duration pause(Random random, ChaosOptions o) {
    return Duration.ofMillis(500 + (long) (random.nextDouble() * o.maxRestartPause().toMillis()));
  }
}
