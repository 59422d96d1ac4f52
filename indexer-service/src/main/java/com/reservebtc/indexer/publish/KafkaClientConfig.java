package com.reservebtc.indexer.publish;

import com.reservebtc.schemas.serde.AvroValueDeserializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaConsumerFactoryCustomizer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.DefaultTransactionIdSuffixStrategy;

/**
 * Adapts Boot's auto-configured Kafka clients to the wire contract: string keys, Avro single-object
 * values (chain records handed over already encoded), and exactly one transactional id per chain.
 */
@Configuration(proxyBeanMethods = false)
class KafkaClientConfig {

  @Bean
  DefaultKafkaProducerFactoryCustomizer indexerProducerFactory() {
    return factory -> {
      @SuppressWarnings("unchecked")
      DefaultKafkaProducerFactory<String, Object> typed =
          (DefaultKafkaProducerFactory<String, Object>) factory;
      typed.setKeySerializer(new StringSerializer());
      typed.setValueSerializer(new WireValueSerializer());
      // One suffix only: the transactional id stays the same across producers and restarts, so a
      // new instance fences the old one instead of running beside it.
      typed.setTransactionIdSuffixStrategy(new DefaultTransactionIdSuffixStrategy(1));
    };
  }

  @Bean
  DefaultKafkaConsumerFactoryCustomizer indexerConsumerFactory() {
    return factory -> {
      @SuppressWarnings("unchecked")
      DefaultKafkaConsumerFactory<String, SpecificRecord> typed =
          (DefaultKafkaConsumerFactory<String, SpecificRecord>) factory;
      typed.setKeyDeserializer(new StringDeserializer());
      typed.setValueDeserializer(new AvroValueDeserializer());
    };
  }
}
