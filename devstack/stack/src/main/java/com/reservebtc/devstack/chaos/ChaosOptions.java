package com.reservebtc.devstack.chaos;

import java.time.Duration;

/**
 * The size and pace of one fault-test run. {@link #full(long)} is the command's default, {@link
 * #ci(long)} the end-to-end test's; both exercise every event family and every fault kind.
 *
 * @param seed drives every random choice: users' keys and amounts, the workload's actions, when and
 *     what the faults hit, pauses and reorg depths
 * @param users users, each with a bound Bitcoin address and an EVM wallet of its own
 * @param targetEvents the workload runs until the chain holds at least this many logs of the
 *     protocol's contracts (and every planned fault has happened)
 * @param actionsPerSecond the workload's pace
 * @param killsPerComponent how often each service, the broker and PostgreSQL are killed
 * @param mostKilledAtOnce up to this many components are killed at the same moment (drawn)
 * @param postgresOutage how long PostgreSQL is away in the planned outage (at least 10 s)
 * @param flipFlops A→B→A flips of the chain's tip
 * @param deepReorgs {@code anvil_reorg}s below the CONFIRMED depth (within the indexer's window)
 * @param faultGap the pause between two faults of one timeline is drawn from 1x to 2x this
 * @param maxRestartPause a killed component is restarted after a pause drawn up to this
 * @param maxRunTime the workload gives up (and the run fails) after this
 * @param quietBlocks the chain counts as quiescent after this many blocks without a protocol log
 * @param settleTimeout how long the read models may take to equal the chain once it is frozen
 */
public record ChaosOptions(
    long seed,
    int users,
    int targetEvents,
    double actionsPerSecond,
    int killsPerComponent,
    int mostKilledAtOnce,
    Duration postgresOutage,
    int flipFlops,
    int deepReorgs,
    Duration faultGap,
    Duration maxRestartPause,
    Duration maxRunTime,
    int quietBlocks,
    Duration settleTimeout) {

  public ChaosOptions {
    if (users < 3) {
      throw new IllegalArgumentException(
          "at least 3 users (wrBTC moves between users), got " + users);
    }
    if (postgresOutage.compareTo(Duration.ofSeconds(10)) < 0) {
      throw new IllegalArgumentException("the PostgreSQL outage must last at least 10 s");
    }
    if (killsPerComponent < 1 || mostKilledAtOnce < 1 || flipFlops < 1 || deepReorgs < 1) {
      throw new IllegalArgumentException("every fault kind must happen at least once");
    }
  }

  /** The command's size: at least 10,000 events, each component killed twice. */
  public static ChaosOptions full(long seed) {
    return new ChaosOptions(
        seed,
        24,
        10_000,
        10,
        2,
        2,
        Duration.ofSeconds(12),
        4,
        4,
        Duration.ofSeconds(20),
        Duration.ofSeconds(8),
        Duration.ofMinutes(60),
        15,
        Duration.ofMinutes(4));
  }

  /** The end-to-end test's size: every family and fault kind once, a few minutes on two cores. */
  public static ChaosOptions ci(long seed) {
    return new ChaosOptions(
        seed,
        4,
        250,
        6,
        1,
        3,
        Duration.ofSeconds(10),
        1,
        1,
        Duration.ofSeconds(4),
        Duration.ofSeconds(2),
        Duration.ofMinutes(5),
        12,
        Duration.ofMinutes(2));
  }

  public ChaosOptions withTargetEvents(int events) {
    return new ChaosOptions(
        seed,
        users,
        events,
        actionsPerSecond,
        killsPerComponent,
        mostKilledAtOnce,
        postgresOutage,
        flipFlops,
        deepReorgs,
        faultGap,
        maxRestartPause,
        maxRunTime,
        quietBlocks,
        settleTimeout);
  }

  public ChaosOptions withUsers(int count) {
    return new ChaosOptions(
        seed,
        count,
        targetEvents,
        actionsPerSecond,
        killsPerComponent,
        mostKilledAtOnce,
        postgresOutage,
        flipFlops,
        deepReorgs,
        faultGap,
        maxRestartPause,
        maxRunTime,
        quietBlocks,
        settleTimeout);
  }
}
