package com.reservebtc.yield.finality;

import com.reservebtc.schemas.avro.BlockMarker;
import com.reservebtc.yield.kafka.Records;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Feeds the indexer's block markers to {@link BlockMarkers}. */
@Component
class BlockMarkerListener {

  private final BlockMarkers markers;

  BlockMarkerListener(BlockMarkers markers) {
    this.markers = markers;
  }

  @KafkaListener(topics = "#{T(com.reservebtc.schemas.Topics).CHAIN_BLOCKS.name()}")
  void on(ConsumerRecord<String, Object> record) {
    markers.apply(Records.valueOf(record, BlockMarker.class));
  }
}
