package com.reservebtc.oracle.reserves;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * {@code rbtc.reserves.backing.ratio}: the latest snapshot's reserves over the rBTC-SYNTH supply as
 * a fraction (1.0 = fully backed, below 1 a shortfall; 1 when both are zero, +Inf for reserves
 * without supply). NaN until a snapshot exists; after a restart it is read from the latest stored
 * snapshot on first scrape. The deploy module's {@code ReservesBelowSupply} alert reads it.
 */
@Component
class BackingGauge {

  private final ReserveRepository repository;
  private volatile Double ratio;

  BackingGauge(ReserveRepository repository, MeterRegistry meters) {
    this.repository = repository;
    Gauge.builder("rbtc.reserves.backing.ratio", this, BackingGauge::value)
        .description("Reserves / rBTC-SYNTH total supply of the latest proof-of-reserves snapshot")
        .register(meters);
  }

  void set(ReserveSnapshot snapshot) {
    ratio = snapshot.backingFraction();
  }

  private double value() {
    Double current = ratio;
    if (current == null) {
      current = repository.latest().map(ReserveSnapshot::backingFraction).orElse(Double.NaN);
      ratio = current;
    }
    return current;
  }
}
