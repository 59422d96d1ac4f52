package com.reservebtc.yield;

import com.reservebtc.schemas.Topic;
import com.reservebtc.schemas.Topics;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Starts a real KRaft broker (every catalogue topic and its dead-letter topic, one partition each
 * so records of one topic are consumed in send order) and a real PostgreSQL server on free ports
 * before the test class, and stops both after it. Declare it before {@code @SpringBootTest} so the
 * Spring context (closed by {@code @DirtiesContext}) stops first.
 */
public final class EmbeddedInfrastructure implements BeforeAllCallback, AfterAllCallback {

  private static EmbeddedKafkaKraftBroker kafka;
  private static EmbeddedPostgres postgres;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    List<String> topics = new ArrayList<>();
    for (Topic<?> topic : Topics.all()) {
      topics.add(topic.name());
      topics.add(topic.deadLetter());
    }
    kafka = new EmbeddedKafkaKraftBroker(1, 1, topics.toArray(String[]::new)).kafkaPorts(0);
    kafka.afterPropertiesSet();
    postgres = EmbeddedPostgres.builder().start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    try {
      if (kafka != null) {
        kafka.destroy();
      }
    } finally {
      if (postgres != null) {
        postgres.close();
      }
    }
  }

  public static String bootstrapServers() {
    return kafka.getBrokersAsString();
  }

  public static String jdbcUrl(String schema) {
    return postgres.getJdbcUrl("postgres", "postgres") + "&currentSchema=" + schema;
  }
}
