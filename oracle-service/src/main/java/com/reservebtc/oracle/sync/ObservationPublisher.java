package com.reservebtc.oracle.sync;

import com.reservebtc.oracle.binding.Binding;
import com.reservebtc.oracle.bitcoin.AddressObservation;
import com.reservebtc.oracle.bitcoin.BalanceObserver;
import com.reservebtc.oracle.bitcoin.BitcoinBlock;
import com.reservebtc.oracle.kafka.EventPublisher;
import com.reservebtc.schemas.Keys;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.BtcBalanceObservation;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Publishes one {@link BtcBalanceObservation} per monitored binding per cycle, after the cycle's
 * syncs. A failed or disputed observation has {@code confirmedSats = null}; an unknown block is
 * height -1 and hash "". Sources are named by alias.
 */
@Component
class ObservationPublisher {

  private final EventPublisher publisher;
  private final BalanceObserver observer;
  private final Clock clock;

  ObservationPublisher(EventPublisher publisher, BalanceObserver observer, Clock clock) {
    this.publisher = publisher;
    this.observer = observer;
    this.clock = clock;
  }

  /**
   * @param verified the users whose on-chain balance equals the sum of their observed balances
   */
  void publish(
      List<Binding> bindings, Map<String, AddressObservation> observations, Set<String> verified) {
    long now = clock.millis();
    Map<String, long[]> pendingByUser = pendingByUser(bindings, observations);
    List<Map.Entry<String, BtcBalanceObservation>> records = new ArrayList<>(bindings.size());
    for (Binding binding : bindings) {
      AddressObservation observation = observations.get(binding.btcAddress());
      if (observation == null) {
        continue;
      }
      BitcoinBlock asOf = observation.asOf();
      BtcBalanceObservation.Builder record =
          BtcBalanceObservation.newBuilder()
              .setEthAddress(binding.ethAddress())
              .setBtcAddress(binding.btcAddress())
              .setMinConfirmations(observer.minConfirmations())
              .setTipHeight(asOf == null ? -1 : asOf.height())
              .setTipHash(asOf == null ? "" : asOf.hash())
              .setSources(observer.sourceNames())
              .setObservedAtMillis(now)
              .setVerified(verified.contains(binding.ethAddress()));
      long[] pending = pendingByUser.get(binding.ethAddress());
      if (pending != null) {
        record.setUserPendingSpentSats(pending[0]).setUserPendingReceivedSats(pending[1]);
      }
      if (observation instanceof AddressObservation.Observed observed) {
        record
            .setConfirmedSats(observed.confirmedSats())
            .setAgreed(true)
            .setDetail(null)
            .setAgreeingSources(observed.sources())
            .setPendingSpentSats(observed.pendingSpentSats())
            .setPendingReceivedSats(observed.pendingReceivedSats());
      } else if (observation instanceof AddressObservation.Disagreement disagreement) {
        record.setConfirmedSats(null).setAgreed(false).setDetail(disagreement.reason());
      } else if (observation instanceof AddressObservation.Failed failed) {
        record.setConfirmedSats(null).setAgreed(false).setDetail(failed.reason());
      }
      records.add(Map.entry(Keys.user(binding.ethAddress()), record.build()));
    }
    publisher.publishAll(Topics.ORACLE_BTC_BALANCES, records);
  }

  /**
   * Per user whose every address was observed: the sums of what those addresses spend and receive
   * in transactions not yet counted (mempool and shallow blocks).
   */
  private static Map<String, long[]> pendingByUser(
      List<Binding> bindings, Map<String, AddressObservation> observations) {
    Map<String, long[]> sums = new HashMap<>();
    Set<String> incomplete = new HashSet<>();
    for (Binding binding : bindings) {
      if (observations.get(binding.btcAddress()) instanceof AddressObservation.Observed o) {
        long[] sum = sums.computeIfAbsent(binding.ethAddress(), k -> new long[2]);
        sum[0] = Math.addExact(sum[0], o.pendingSpentSats());
        sum[1] = Math.addExact(sum[1], o.pendingReceivedSats());
      } else {
        incomplete.add(binding.ethAddress());
      }
    }
    sums.keySet().removeAll(incomplete);
    return sums;
  }
}
