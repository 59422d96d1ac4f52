package com.reservebtc.gateway.health;

import org.apache.kafka.clients.admin.Admin;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Kafka admin client of the health checks (one per instance, closed with the context). */
@Configuration(proxyBeanMethods = false)
class HealthConfiguration {

  @Bean(destroyMethod = "close")
  Admin healthAdmin(KafkaProperties kafka) {
    return Admin.create(kafka.buildAdminProperties());
  }
}
