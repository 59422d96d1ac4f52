package com.reservebtc.oracle.reserves;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Proof-of-reserves settings; defaults are documented in application.yml.
 *
 * @param enabled whether snapshots are taken (after each sync cycle whose tip is new)
 * @param retainedLeafSnapshots how many of the newest snapshots keep their leaves (export and
 *     proofs); older snapshots keep only their header and root
 */
@ConfigurationProperties("rbtc.reserves")
public record ReservesProperties(
    @DefaultValue("true") boolean enabled, @DefaultValue("1008") int retainedLeafSnapshots) {

  public ReservesProperties {
    if (retainedLeafSnapshots < 1) {
      throw new IllegalArgumentException("rbtc.reserves.retained-leaf-snapshots must be >= 1");
    }
  }
}
