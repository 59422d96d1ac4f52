package com.reservebtc.oracle.sync;

import java.util.ArrayList;
import java.util.List;

/**
 * The absolute balances to sync, in order, to move a user from {@code previous} to {@code target}
 * without any single step exceeding the fee cap.
 *
 * <p>Every step is an absolute target, so re-running a step that may already have been applied
 * (after a crash) changes nothing. Downward moves are one step (their fee is the fixed part only).
 * A plan holds at most {@code maxSteps} steps; when it is {@link #truncated()}, the next cycle
 * continues from wherever the chain then is.
 *
 * @param previous the on-chain balance the plan starts from
 * @param target the confirmed Bitcoin balance to reach
 * @param steps the intermediate and final targets, the last one equal to {@code target} unless
 *     truncated
 * @param truncated whether more steps are needed after these
 */
record SyncPlan(long previous, long target, List<Long> steps, boolean truncated) {

  SyncPlan {
    steps = List.copyOf(steps);
  }

  /**
   * @param maxUpwardDelta the largest increase one sync may carry (see {@code
   *     FeeSchedule.maxUpwardDelta()}); must be positive
   * @throws IllegalArgumentException if a balance is negative or {@code maxUpwardDelta < 1}
   */
  static SyncPlan of(long previous, long target, long maxUpwardDelta, int maxSteps) {
    if (previous < 0 || target < 0) {
      throw new IllegalArgumentException(
          "balances cannot be negative: " + previous + " -> " + target);
    }
    if (maxUpwardDelta < 1) {
      throw new IllegalArgumentException(
          "the fee policy's fixed fee alone exceeds the aggregator's fee cap; no sync can succeed");
    }
    if (maxSteps < 1) {
      throw new IllegalArgumentException("maxSteps must be at least 1, was " + maxSteps);
    }
    List<Long> steps = new ArrayList<>();
    if (target <= previous) {
      if (target < previous) {
        steps.add(target);
      }
      return new SyncPlan(previous, target, steps, false);
    }
    long at = previous;
    while (at < target && steps.size() < maxSteps) {
      at = target - at > maxUpwardDelta ? at + maxUpwardDelta : target;
      steps.add(at);
    }
    return new SyncPlan(previous, target, steps, at != target);
  }

  boolean isSplit() {
    return steps.size() > 1 || truncated;
  }
}
