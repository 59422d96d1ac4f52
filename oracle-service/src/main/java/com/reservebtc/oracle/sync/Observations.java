package com.reservebtc.oracle.sync;

import com.reservebtc.oracle.bitcoin.AddressObservation;
import com.reservebtc.oracle.bitcoin.BalanceObserver;
import com.reservebtc.oracle.bitcoin.BitcoinBlock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One cycle's observations by Bitcoin address, with when each was made, so that the cycle can
 * observe a user's addresses again (together, as of one block) when they are too old or were read
 * as of different blocks. Used by the cycle's one thread.
 */
final class Observations {

  private final Map<String, AddressObservation> byAddress;
  private final Map<String, Instant> observedAt = new HashMap<>();

  Observations(Map<String, AddressObservation> observed, Instant at) {
    this.byAddress = new LinkedHashMap<>(observed);
    observed.keySet().forEach(address -> observedAt.put(address, at));
  }

  Map<String, AddressObservation> byAddress() {
    return byAddress;
  }

  /** Whether the observed ones among {@code addresses} are all as of the same block. */
  boolean sameBlock(Collection<String> addresses) {
    BitcoinBlock block = null;
    for (String address : addresses) {
      if (byAddress.get(address) instanceof AddressObservation.Observed observed) {
        if (block == null) {
          block = observed.asOf();
        } else if (!Objects.equals(block, observed.asOf())) {
          return false;
        }
      }
    }
    return true;
  }

  /** Whether any of {@code addresses} was observed longer than {@code age} ago. */
  boolean olderThan(Collection<String> addresses, Duration age, Clock clock) {
    Instant limit = clock.instant().minus(age);
    return addresses.stream().map(observedAt::get).anyMatch(at -> at == null || at.isBefore(limit));
  }

  /** Observes {@code addresses} again, together, replacing what the cycle knew of them. */
  void refresh(Collection<String> addresses, BalanceObserver observer, Clock clock) {
    if (addresses.isEmpty()) {
      return;
    }
    Map<String, AddressObservation> fresh = observer.observe(addresses);
    Instant now = clock.instant();
    fresh.forEach(
        (address, observation) -> {
          byAddress.put(address, observation);
          observedAt.put(address, now);
        });
  }
}
