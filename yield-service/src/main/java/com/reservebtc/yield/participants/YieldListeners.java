package com.reservebtc.yield.participants;

import com.reservebtc.schemas.avro.EmergencyBurnEvent;
import com.reservebtc.schemas.avro.TokenEvent;
import com.reservebtc.schemas.avro.YieldPoolEvent;
import com.reservebtc.yield.kafka.Records;
import com.reservebtc.yield.outbox.OutboxRelay;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Feeds the chain topics to the ledger; publishes changed participant states after commit. */
@Component
class YieldListeners {

  private final YieldLedger ledger;
  private final OutboxRelay relay;

  YieldListeners(YieldLedger ledger, OutboxRelay relay) {
    this.ledger = ledger;
    this.relay = relay;
  }

  @KafkaListener(topics = "#{T(com.reservebtc.schemas.Topics).CHAIN_TOKEN_TRANSFERS.name()}")
  void onToken(ConsumerRecord<String, Object> record) {
    if (ledger.applyToken(Records.valueOf(record, TokenEvent.class))) {
      relay.publishAfterCommit();
    }
  }

  @KafkaListener(topics = "#{T(com.reservebtc.schemas.Topics).CHAIN_YIELD_POOL.name()}")
  void onPool(ConsumerRecord<String, Object> record) {
    if (ledger.applyPoolEvent(Records.valueOf(record, YieldPoolEvent.class))) {
      relay.publishAfterCommit();
    }
  }

  @KafkaListener(topics = "#{T(com.reservebtc.schemas.Topics).CHAIN_EMERGENCY_BURNS.name()}")
  void onEmergencyBurn(ConsumerRecord<String, Object> record) {
    if (ledger.applyEmergencyBurn(Records.valueOf(record, EmergencyBurnEvent.class))) {
      relay.publishAfterCommit();
    }
  }
}
