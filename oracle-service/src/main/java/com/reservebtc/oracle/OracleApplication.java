package com.reservebtc.oracle;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The oracle service: Bitcoin address bindings, balance observation and on-chain syncs. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class OracleApplication {

  public static void main(String[] args) {
    SpringApplication.run(OracleApplication.class, args);
  }
}
