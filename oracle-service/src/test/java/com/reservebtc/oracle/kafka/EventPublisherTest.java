package com.reservebtc.oracle.kafka;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.OracleAlert;
import com.reservebtc.schemas.avro.OracleAlertKind;
import com.reservebtc.schemas.serde.AvroValueSerializer;
import java.net.ServerSocket;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

class EventPublisherTest {

  /**
   * A broker that does not answer metadata within {@code max.block.ms} makes the producer's send
   * throw before it returns a future. Callers keep what they could not publish only when that
   * surfaces as a PublishException: a binding request answered 500 although it was stored.
   */
  @Test
  void aSendTheProducerRefusesBeforeReturningIsAPublishException() throws Exception {
    int silentPort;
    try (ServerSocket probe = new ServerSocket(0)) {
      silentPort = probe.getLocalPort();
    }
    DefaultKafkaProducerFactory<String, SpecificRecord> factory =
        new DefaultKafkaProducerFactory<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                "127.0.0.1:" + silentPort,
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                300),
            new StringSerializer(),
            (topic, value) -> AvroValueSerializer.encode(value));
    try {
      EventPublisher publisher = new EventPublisher(new KafkaTemplate<>(factory));
      assertThatThrownBy(
              () ->
                  publisher.publish(
                      Topics.ORACLE_ALERTS,
                      "global",
                      OracleAlert.newBuilder()
                          .setKind(OracleAlertKind.SOURCE_EXCLUDED)
                          .setSubject("publisher")
                          .setMessage("the broker is not there")
                          .setOccurredAtMillis(0)
                          .build()))
          .isInstanceOf(EventPublisher.PublishException.class)
          .hasMessageContaining(Topics.ORACLE_ALERTS.name());
    } finally {
      factory.destroy();
    }
  }
}
