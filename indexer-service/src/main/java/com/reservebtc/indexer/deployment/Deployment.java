package com.reservebtc.indexer.deployment;

import com.reservebtc.indexer.chain.Address;
import java.util.Objects;

/**
 * One deployed protocol contract to index.
 *
 * @param startBlock the first block that can hold its logs (its creation block or later); logs of
 *     earlier blocks at this address are ignored
 */
public record Deployment(ContractKind kind, Address address, long startBlock) {

  public Deployment {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(address, "address");
    if (startBlock < 0) {
      throw new IllegalArgumentException(
          "start block of " + kind + " " + address + " must be >= 0, was " + startBlock);
    }
  }
}
