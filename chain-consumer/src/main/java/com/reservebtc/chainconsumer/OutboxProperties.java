package com.reservebtc.chainconsumer;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The outbox relay ({@code rbtc.outbox.*}).
 *
 * @param pollInterval how often rows whose publication failed (broker down, crash) are retried
 * @param sendTimeout how long one batch of publications may wait for the broker's acknowledgements
 * @param batchSize rows published per relay pass
 */
@ConfigurationProperties("rbtc.outbox")
public record OutboxProperties(
    @DefaultValue("5s") Duration pollInterval,
    @DefaultValue("10s") Duration sendTimeout,
    @DefaultValue("500") int batchSize) {

  public OutboxProperties {
    if (batchSize < 1) {
      throw new IllegalArgumentException("rbtc.outbox.batch-size must be >= 1");
    }
  }
}
