package com.reservebtc.yield.kafka;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long a failing record is retried before it is dead-lettered.
 *
 * @param maxRetries retries after the first failed attempt
 * @param retryInterval pause between attempts
 */
@ConfigurationProperties("rbtc.consumer")
public record ConsumerErrorProperties(
    @DefaultValue("3") int maxRetries, @DefaultValue("1s") Duration retryInterval) {

  public ConsumerErrorProperties {
    if (maxRetries < 0) {
      throw new IllegalArgumentException("rbtc.consumer.max-retries must be >= 0: " + maxRetries);
    }
    if (retryInterval.isNegative()) {
      throw new IllegalArgumentException("rbtc.consumer.retry-interval must not be negative");
    }
  }
}
