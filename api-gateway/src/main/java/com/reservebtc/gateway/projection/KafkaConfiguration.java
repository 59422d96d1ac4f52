package com.reservebtc.gateway.projection;

import com.reservebtc.gateway.GatewayProperties;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.serde.AvroValueDeserializer;
import com.reservebtc.schemas.serde.AvroValueSerializer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Serdes and the one error policy of the gateway's Kafka clients, applied to Spring Boot's
 * auto-configured factories.
 *
 * <p>Values that cannot be decoded reach the error handler (through {@link
 * ErrorHandlingDeserializer}) instead of failing every poll. A failing record is retried a bounded
 * number of times, then published unchanged to {@code <topic>.dlt} and skipped, so it neither
 * blocks its partition nor vanishes. The only producer of the gateway is that dead-letter
 * publisher; it writes either the decoded record or, for undecodable values, the original bytes.
 */
@Configuration(proxyBeanMethods = false)
class KafkaConfiguration {

  @Bean
  DefaultKafkaConsumerFactoryCustomizer avroConsumerSerdes() {
    return factory -> {
      @SuppressWarnings("unchecked")
      DefaultKafkaConsumerFactory<String, SpecificRecord> typed =
          (DefaultKafkaConsumerFactory<String, SpecificRecord>) factory;
      typed.setKeyDeserializer(new StringDeserializer());
      typed.setValueDeserializer(new ErrorHandlingDeserializer<>(new AvroValueDeserializer()));
    };
  }

  @Bean
  DefaultKafkaProducerFactoryCustomizer deadLetterProducerSerdes() {
    return factory -> {
      Map<Class<?>, Serializer<?>> byType = new LinkedHashMap<>();
      byType.put(byte[].class, new ByteArraySerializer());
      byType.put(SpecificRecord.class, new AvroValueSerializer());
      @SuppressWarnings("unchecked")
      DefaultKafkaProducerFactory<String, Object> typed =
          (DefaultKafkaProducerFactory<String, Object>) factory;
      typed.setKeySerializer(new StringSerializer());
      // assignable: generated record classes match the SpecificRecord entry
      typed.setValueSerializer(new DelegatingByTypeSerializer(byType, true));
    };
  }

  @Bean
  DefaultErrorHandler projectionErrorHandler(
      KafkaOperations<?, ?> kafka, GatewayProperties properties) {
    DeadLetterPublishingRecoverer recoverer =
        new DeadLetterPublishingRecoverer(
            kafka, (record, e) -> new TopicPartition(Topics.deadLetterOf(record.topic()), -1));
    GatewayProperties.DeadLetter retry = properties.deadLetter();
    DefaultErrorHandler handler =
        new DefaultErrorHandler(
            recoverer, new FixedBackOff(retry.interval().toMillis(), retry.maxRetries()));
    handler.addNotRetryableExceptions(InvalidRecordException.class);
    return handler;
  }
}
