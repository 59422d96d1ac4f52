package com.reservebtc.emergency.risk;

import com.reservebtc.emergency.kafka.Records;
import com.reservebtc.emergency.outbox.OutboxRelay;
import com.reservebtc.schemas.avro.FeeVaultEvent;
import com.reservebtc.schemas.avro.SyncedEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Feeds Synced and FeeVault records to the risk tracker; publishes alerts after commit. */
@Component
class RiskListener {

  private final RiskTracker tracker;
  private final OutboxRelay relay;

  RiskListener(RiskTracker tracker, OutboxRelay relay) {
    this.tracker = tracker;
    this.relay = relay;
  }

  @KafkaListener(topics = "#{T(com.reservebtc.schemas.Topics).CHAIN_SYNCED.name()}")
  void onSynced(ConsumerRecord<String, Object> record) {
    if (tracker.applySynced(Records.valueOf(record, SyncedEvent.class))) {
      relay.publishAfterCommit();
    }
  }

  @KafkaListener(topics = "#{T(com.reservebtc.schemas.Topics).CHAIN_FEE_VAULT.name()}")
  void onFeeVault(ConsumerRecord<String, Object> record) {
    if (tracker.applyFeeVault(Records.valueOf(record, FeeVaultEvent.class))) {
      relay.publishAfterCommit();
    }
  }
}
