package com.reservebtc.yield.pool;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the pool is kept in step (see {@link PoolReconciler}).
 *
 * @param interval pause between two passes
 * @param recheckAfter a holder found in step is read from the pool again after this long, so a
 *     change made on chain by anything else is noticed
 * @param batchSize most holders looked at in one pass (least recently checked first)
 */
@ConfigurationProperties("rbtc.yield.pool-sync")
public record PoolSyncProperties(
    @DefaultValue("5s") Duration interval,
    @DefaultValue("10m") Duration recheckAfter,
    @DefaultValue("100") int batchSize) {

  public PoolSyncProperties {
    if (batchSize < 1) {
      throw new IllegalArgumentException("rbtc.yield.pool-sync.batch-size must be >= 1");
    }
  }
}
