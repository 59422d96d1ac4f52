package com.reservebtc.indexer.status;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * DOWN once the ingest loop has stopped for good (fenced out) or is stalled until an operator acts
 * (a reorg deeper than the window: the failure names the rewind to run; a deleted cursor); UP
 * otherwise, with progress details. A slow node or broker is not DOWN: the loop retries, and lag
 * shows it.
 */
@Component("ingest")
class IngestHealthIndicator implements HealthIndicator {

  private final IndexerMetrics metrics;

  IngestHealthIndicator(IndexerMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public Health health() {
    Health.Builder builder =
        switch (metrics.state()) {
          case FAILED, STALLED -> Health.down();
          default -> Health.up();
        };
    builder.withDetail("state", metrics.state().name());
    if (metrics.failure() != null) {
      builder.withDetail("failure", metrics.failure());
    }
    builder.withDetail("headBlock", metrics.head());
    builder.withDetail("lagBlocks", metrics.lag());
    return builder.build();
  }
}
