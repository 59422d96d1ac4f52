package com.reservebtc.chainconsumer;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a service consumes its catalogue topics ({@code rbtc.consumer.*}).
 *
 * @param concurrency consumer threads of this instance; partitions are spread over the threads of
 *     all instances of the service (more threads than partitions stay idle)
 * @param maxPollRecords most records one poll (and so one batch, one database transaction) holds
 * @param initialBackoff first pause after a transient failure (database or broker unreachable, a
 *     serialization failure, a record of a schema this service does not know yet)
 * @param maxBackoff longest pause between retries of a transient failure; they go on without limit
 *     (the partitions are paused, never dead-lettered) while {@code rbtc.consumer.blocked} is 1
 */
@ConfigurationProperties("rbtc.consumer")
public record ChainConsumerProperties(
    @DefaultValue("2") int concurrency,
    @DefaultValue("2000") int maxPollRecords,
    @DefaultValue("200ms") Duration initialBackoff,
    @DefaultValue("30s") Duration maxBackoff) {

  public ChainConsumerProperties {
    if (concurrency < 1 || concurrency > 64) {
      throw new IllegalArgumentException(
          "rbtc.consumer.concurrency must be 1..64, was " + concurrency);
    }
    if (maxPollRecords < 1) {
      throw new IllegalArgumentException("rbtc.consumer.max-poll-records must be >= 1");
    }
    if (initialBackoff.isNegative()
        || initialBackoff.isZero()
        || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "rbtc.consumer.initial-backoff must be positive and at most rbtc.consumer.max-backoff");
    }
  }
}
