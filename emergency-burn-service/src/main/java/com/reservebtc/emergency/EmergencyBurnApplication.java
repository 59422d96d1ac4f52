package com.reservebtc.emergency;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Records emergency burns seen on chain and warns users whose prepaid fees no longer cover a
 * downward sync. Reads only chain topics written by the indexer; writes only its own alert topic
 * and its own database schema.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class EmergencyBurnApplication {

  public static void main(String[] args) {
    SpringApplication.run(EmergencyBurnApplication.class, args);
  }
}
