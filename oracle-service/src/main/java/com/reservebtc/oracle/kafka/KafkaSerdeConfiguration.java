package com.reservebtc.oracle.kafka;

import com.reservebtc.schemas.serde.AvroValueSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;

/**
 * Wires the schemas module's serdes into Boot's auto-configured producer factory, so topic names
 * and serializer classes are never spelled in configuration.
 */
@Configuration(proxyBeanMethods = false)
class KafkaSerdeConfiguration {

  @Bean
  DefaultKafkaProducerFactoryCustomizer avroProducerSerdes() {
    return factory -> {
      // Boot hands the factory over with wildcard types; keys are String, values Avro records.
      @SuppressWarnings("unchecked")
      DefaultKafkaProducerFactory<String, SpecificRecord> typed =
          (DefaultKafkaProducerFactory<String, SpecificRecord>) factory;
      typed.setKeySerializer(new StringSerializer());
      typed.setValueSerializer(new AvroValueSerializer());
    };
  }
}
