package com.reservebtc.yield;

import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Tracks YieldScales participants from chain events (rBTC-SYNTH balances, pool events, emergency
 * burns), accrues their yield with the pool's formulas, optionally registers newly eligible holders
 * on chain, and publishes participant states.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class YieldApplication {

  public static void main(String[] args) {
    SpringApplication.run(YieldApplication.class, args);
  }

  /** Wall-clock time is used only to answer "how much is pending now" in the read API. */
  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
