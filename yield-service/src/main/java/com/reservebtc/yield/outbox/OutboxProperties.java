package com.reservebtc.yield.outbox;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Outbox relay settings.
 *
 * @param pollInterval how often leftovers (after a failed send or a crash) are retried
 * @param sendTimeout how long one publication may take before it counts as failed
 * @param batchSize rows published per relay pass
 */
@ConfigurationProperties("rbtc.outbox")
public record OutboxProperties(
    @DefaultValue("5s") Duration pollInterval,
    @DefaultValue("10s") Duration sendTimeout,
    @DefaultValue("100") int batchSize) {}
