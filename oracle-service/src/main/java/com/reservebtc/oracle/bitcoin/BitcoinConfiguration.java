package com.reservebtc.oracle.bitcoin;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class BitcoinConfiguration {

  private static final Logger log = LoggerFactory.getLogger(BitcoinConfiguration.class);

  /**
   * The observer, after every source's genesis block was checked: a source on another network stops
   * the start with a message naming it (a source that cannot be reached yet is checked again every
   * cycle and not used until it proves its network).
   */
  @Bean(destroyMethod = "close")
  BalanceObserver balanceObserver(
      BitcoinProperties properties,
      JsonMapper json,
      MeterRegistry meters,
      SourceAlert.Listener alerts,
      Clock clock) {
    BalanceObserver observer = new BalanceObserver(properties, json, meters, alerts, clock);
    try {
      observer.verifyNetworks();
    } catch (IllegalStateException e) {
      observer.close();
      throw e;
    }
    log.info(
        "Observing {} balances at >= {} confirmations on {} source(s) {}, {} must agree",
        properties.network().id(),
        properties.minConfirmations(),
        observer.sourceNames().size(),
        observer.sourceNames(),
        observer.quorum());
    return observer;
  }
}
