package com.reservebtc.oracle.sync;

import com.reservebtc.oracle.binding.Binding;
import com.reservebtc.oracle.bitcoin.AddressObservation;
import com.reservebtc.oracle.bitcoin.BalanceObserver;
import com.reservebtc.oracle.bitcoin.ChainTip;
import com.reservebtc.oracle.kafka.EventPublisher;
import com.reservebtc.schemas.Keys;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.BtcBalanceObservation;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Publishes one {@link BtcBalanceObservation} per monitored binding per cycle. A failed or disputed
 * observation has {@code confirmedSats = null}; an unknown tip is height -1 and hash "".
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

  void publish(List<Binding> bindings, Map<String, AddressObservation> observations) {
    long now = clock.millis();
    List<Map.Entry<String, BtcBalanceObservation>> records = new ArrayList<>(bindings.size());
    for (Binding binding : bindings) {
      AddressObservation observation = observations.get(binding.btcAddress());
      if (observation == null) {
        continue;
      }
      ChainTip tip = observation.tip();
      BtcBalanceObservation.Builder record =
          BtcBalanceObservation.newBuilder()
              .setEthAddress(binding.ethAddress())
              .setBtcAddress(binding.btcAddress())
              .setMinConfirmations(observer.minConfirmations())
              .setTipHeight(tip == null ? -1 : tip.height())
              .setTipHash(tip == null ? "" : tip.hash())
              .setSources(observer.sourceNames())
              .setObservedAtMillis(now);
      if (observation instanceof AddressObservation.Observed observed) {
        record.setConfirmedSats(observed.confirmedSats()).setAgreed(true).setDetail(null);
      } else if (observation instanceof AddressObservation.Disagreement disagreement) {
        record.setConfirmedSats(null).setAgreed(false).setDetail(disagreement.reason());
      } else if (observation instanceof AddressObservation.Failed failed) {
        record.setConfirmedSats(null).setAgreed(false).setDetail(failed.reason());
      }
      records.add(Map.entry(Keys.user(binding.ethAddress()), record.build()));
    }
    publisher.publishAll(Topics.ORACLE_BTC_BALANCES, records);
  }
}
