package com.reservebtc.gateway.health;

import java.util.Map;

/**
 * The outcome of one health check: its status, its weight in the overall figure, the measured
 * values and a sentence saying why it has that status.
 */
public record CheckResult(
    String name, Status status, int weight, Map<String, Object> value, String reason) {

  /** A check's status and the share of its weight it contributes to the overall figure. */
  public enum Status {
    OK(1.0),
    DEGRADED(0.5),
    FAILED(0.0);

    private final double credit;

    Status(double credit) {
      this.credit = credit;
    }

    public double credit() {
      return credit;
    }

    /** The status of {@code value} against two ascending thresholds. */
    public static Status of(long value, long degradedAt, long failedAt) {
      if (value >= failedAt) {
        return FAILED;
      }
      return value >= degradedAt ? DEGRADED : OK;
    }

    public Status worse(Status other) {
      return other.ordinal() > ordinal() ? other : this;
    }
  }
}
