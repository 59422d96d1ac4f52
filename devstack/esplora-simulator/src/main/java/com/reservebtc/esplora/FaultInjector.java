package com.reservebtc.esplora;

import java.util.Optional;

/**
 * Holds the active {@link FaultRule} and decides, request by request, whether it applies.
 *
 * <p>Guarantees: with a {@code remaining} count, exactly that many matching requests are affected,
 * however many arrive concurrently, and then the rule clears itself. When no fault is active the
 * check is one volatile read, so the Esplora hot path does not pay for this feature.
 */
final class FaultInjector {
  private volatile Active active;

  /** Replaces the active rule; {@link FaultMode#NONE} clears it. */
  synchronized void set(FaultRule rule) {
    active =
        rule.mode() == FaultMode.NONE
            ? null
            : new Active(rule, rule.remaining() == null ? -1 : rule.remaining());
  }

  /** The rule as it stands now (with its remaining count), or {@code null} when none is active. */
  synchronized FaultRule current() {
    Active current = active;
    if (current == null) {
      return null;
    }
    return current.rule.withRemaining(current.remaining < 0 ? null : current.remaining);
  }

  /** The fault to apply to a request for {@code path}, consuming one of its remaining uses. */
  Optional<FaultRule> claim(String path) {
    if (active == null) {
      return Optional.empty();
    }
    synchronized (this) {
      Active current = active;
      if (current == null || !current.rule.matches(path)) {
        return Optional.empty();
      }
      if (current.remaining > 0) {
        current.remaining--;
        if (current.remaining == 0) {
          active = null;
        }
      }
      return Optional.of(current.rule);
    }
  }

  private static final class Active {
    final FaultRule rule;

    /** Uses left, or -1 for unlimited; guarded by the injector's monitor. */
    long remaining;

    Active(FaultRule rule, long remaining) {
      this.rule = rule;
      this.remaining = remaining;
    }
  }
}
