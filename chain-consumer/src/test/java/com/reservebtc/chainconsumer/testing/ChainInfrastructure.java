package com.reservebtc.chainconsumer.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A real KRaft broker holding every catalogue topic as a deployment does (the catalogue's
 * partitions, compacted topics compacted, dead-letter topics) and a real PostgreSQL server, both on
 * free ports, started before the test class and stopped after it. Declare it before
 * {@code @SpringBootTest} so the Spring context (closed by {@code @DirtiesContext}) stops first.
 * Services under test pass {@code rbtc.kafka.min-replication=1} and {@code
 * rbtc.kafka.min-insync-replicas=1} ({@link #SINGLE_BROKER}): the broker is alone.
 */
public final class ChainInfrastructure implements BeforeAllCallback, AfterAllCallback {

  /** The topic check's minimums for a single broker. */
  public static final String[] SINGLE_BROKER = {
    "rbtc.kafka.min-replication=1", "rbtc.kafka.min-insync-replicas=1"
  };

  private static EmbeddedKafkaKraftBroker kafka;
  private static EmbeddedPostgres postgres;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    kafka = new EmbeddedKafkaKraftBroker(1, 1).kafkaPorts(0);
    kafka.afterPropertiesSet();
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString()))) {
      CatalogueTopicsReady.create(admin, Duration.ofSeconds(60));
    }
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

  /** A JDBC URL of the server's {@code postgres} database with {@code schema} as current. */
  public static String jdbcUrl(String schema) {
    return postgres.getJdbcUrl("postgres", "postgres") + "&currentSchema=" + schema;
  }

  /** The server, e.g. to stop it for an outage. */
  public static EmbeddedPostgres postgres() {
    return postgres;
  }
}
