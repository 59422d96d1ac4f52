package com.reservebtc.emergency.burns;

import com.reservebtc.emergency.kafka.Records;
import com.reservebtc.emergency.outbox.OutboxRelay;
import com.reservebtc.schemas.avro.EmergencyBurnEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Feeds emergency-burn records to the recorder and publishes the resulting alert after commit. */
@Component
class EmergencyBurnListener {

  private final EmergencyBurnRecorder recorder;
  private final OutboxRelay relay;

  EmergencyBurnListener(EmergencyBurnRecorder recorder, OutboxRelay relay) {
    this.recorder = recorder;
    this.relay = relay;
  }

  @KafkaListener(topics = "#{T(com.reservebtc.schemas.Topics).CHAIN_EMERGENCY_BURNS.name()}")
  void on(ConsumerRecord<String, Object> record) {
    if (recorder.apply(Records.valueOf(record, EmergencyBurnEvent.class))) {
      relay.publishAfterCommit();
    }
  }
}
