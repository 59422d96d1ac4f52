package com.reservebtc.yield.kafka;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConsumerAwareRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Plugs the product's serdes into Boot's auto-configured Kafka factories and defines the one error
 * policy of this service: bounded retries, then the record goes to {@code <topic>.dlt}.
 *
 * <p>Values that cannot be decoded reach the error handler (through {@link
 * ErrorHandlingDeserializer}) instead of failing the poll loop, and are dead-lettered as the
 * original bytes. Records that fail for a reason retrying cannot fix (malformed content) are
 * dead-lettered without retries.
 */
@Configuration(proxyBeanMethods = false)
class KafkaWiring {

  private static final Logger log = LoggerFactory.getLogger(KafkaWiring.class);

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
  DefaultKafkaProducerFactoryCustomizer avroProducerSerdes() {
    return factory -> {
      @SuppressWarnings("unchecked")
      DefaultKafkaProducerFactory<String, Object> typed =
          (DefaultKafkaProducerFactory<String, Object>) factory;
      typed.setKeySerializer(new StringSerializer());
      // Dead letters of undecodable records carry the original bytes; everything else is Avro.
      Map<Class<?>, Serializer<?>> byType = new LinkedHashMap<>();
      byType.put(byte[].class, new ByteArraySerializer());
      byType.put(SpecificRecord.class, new AvroValueSerializer());
      typed.setValueSerializer(new DelegatingByTypeSerializer(byType, true));
    };
  }

  @Bean
  DefaultErrorHandler consumerErrorHandler(
      KafkaTemplate<String, Object> template, ConsumerErrorProperties properties) {
    DeadLetterPublishingRecoverer recoverer =
        new DeadLetterPublishingRecoverer(
            template,
            (record, exception) -> new TopicPartition(Topics.deadLetterOf(record.topic()), -1));
    ConsumerAwareRecordRecoverer loggingRecoverer =
        (record, consumer, exception) -> {
          log.warn(
              "dead-lettering {}-{}@{} (key {}) to {}: {}",
              record.topic(),
              record.partition(),
              record.offset(),
              record.key(),
              Topics.deadLetterOf(record.topic()),
              rootMessage(exception));
          recoverer.accept(record, consumer, exception);
        };
    DefaultErrorHandler handler =
        new DefaultErrorHandler(
            loggingRecoverer,
            new FixedBackOff(properties.retryInterval().toMillis(), properties.maxRetries()));
    handler.addNotRetryableExceptions(
        IllegalArgumentException.class, ArithmeticException.class, MalformedEventException.class);
    return handler;
  }

  private static String rootMessage(Throwable exception) {
    Throwable root = exception;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }
}
