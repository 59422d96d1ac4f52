package com.reservebtc.emergency.outgoing;

import com.reservebtc.emergency.kafka.Records;
import com.reservebtc.emergency.outbox.OutboxRelay;
import com.reservebtc.schemas.avro.BtcBalanceObservation;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Feeds the oracle's balance observations to {@link OutgoingSpends}; publishes alerts after commit.
 */
@Component
class OutgoingListener {

  private final OutgoingSpends spends;
  private final OutboxRelay relay;

  OutgoingListener(OutgoingSpends spends, OutboxRelay relay) {
    this.spends = spends;
    this.relay = relay;
  }

  @KafkaListener(topics = "#{T(com.reservebtc.schemas.Topics).ORACLE_BTC_BALANCES.name()}")
  void onObservation(ConsumerRecord<String, Object> record) {
    if (spends.apply(Records.valueOf(record, BtcBalanceObservation.class))) {
      relay.publishAfterCommit();
    }
  }
}
