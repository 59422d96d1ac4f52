package com.reservebtc.oracle.bitcoin;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class BitcoinConfiguration {

  private static final Logger log = LoggerFactory.getLogger(BitcoinConfiguration.class);

  @Bean(destroyMethod = "close")
  BalanceObserver balanceObserver(
      BitcoinProperties properties, JsonMapper json, MeterRegistry meters) {
    BalanceObserver observer = new BalanceObserver(properties, json, meters);
    log.info(
        "Observing {} balances at >= {} confirmations on {} source(s): {}",
        properties.network().id(),
        properties.minConfirmations(),
        observer.sourceNames().size(),
        observer.sourceNames());
    return observer;
  }
}
