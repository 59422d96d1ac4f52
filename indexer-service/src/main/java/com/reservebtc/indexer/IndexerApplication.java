package com.reservebtc.indexer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point of the indexer: EVM contract logs in, Kafka chain topics out. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class IndexerApplication {

  public static void main(String[] args) {
    SpringApplication.run(IndexerApplication.class, args);
  }
}
