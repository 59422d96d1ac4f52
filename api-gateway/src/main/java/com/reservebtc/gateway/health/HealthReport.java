package com.reservebtc.gateway.health;

import java.time.Instant;
import java.util.List;

/**
 * The overall health figure and every check it is computed from.
 *
 * <p>Formula: {@code score = round(100 * sum(weight_i * credit_i) / sum(weight_i))} with credit 1
 * for an ok check, 0.5 for a degraded one and 0 for a failed one; {@code status} is the worst
 * status of any check. So 100 means every check is ok, and one failed check of weight 3 out of the
 * total 17 costs 18 points.
 */
public record HealthReport(
    int score,
    CheckResult.Status status,
    String formula,
    Instant checkedAt,
    List<CheckResult> checks) {

  static final String FORMULA =
      "score = round(100 * sum(weight * credit) / sum(weight)), credit ok = 1, degraded = 0.5,"
          + " failed = 0; status = the worst check status";

  static HealthReport of(List<CheckResult> checks, Instant at) {
    double weighted = 0;
    int weights = 0;
    CheckResult.Status worst = CheckResult.Status.OK;
    for (CheckResult check : checks) {
      weighted += check.weight() * check.status().credit();
      weights += check.weight();
      worst = worst.worse(check.status());
    }
    int score = weights == 0 ? 0 : (int) Math.round(100 * weighted / weights);
    return new HealthReport(score, worst, FORMULA, at, List.copyOf(checks));
  }
}
