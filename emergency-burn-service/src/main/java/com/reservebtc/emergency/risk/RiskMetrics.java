package com.reservebtc.emergency.risk;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * {@code rbtc.emergency.users.at.risk}: how many users hold rBTC-SYNTH with a fee vault that cannot
 * pay a downward sync, read from {@code user_risk} at each scrape (an indexed count).
 */
@Component
class RiskMetrics {

  RiskMetrics(RiskBook risk, MeterRegistry meters) {
    Gauge.builder("rbtc.emergency.users.at.risk", risk, RiskMetrics::count)
        .description("Users whose next downward sync would burn their whole rBTC-SYNTH balance")
        .register(meters);
  }

  private static double count(RiskBook risk) {
    // A failed read is reported as missing (NaN), never as zero users at risk.
    try {
      return risk.usersAtRisk();
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }
}
