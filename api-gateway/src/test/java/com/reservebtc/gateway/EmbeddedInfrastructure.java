package com.reservebtc.gateway;

import com.reservebtc.schemas.CatalogueTopics;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A real Kafka broker (embedded KRaft, random port, every catalogue topic and its dead-letter
 * topic) and a real Postgres (zonky, random port) for integration tests, shared by all test classes
 * of one run (starting them costs seconds of a loaded machine's CPU).
 *
 * <p>Declare it with {@code @ExtendWith} before {@code @SpringBootTest} and use
 * {@code @DirtiesContext}: each class's application context is closed after the class, while both
 * still run; both are stopped when the whole run ends (they are registered in the root extension
 * store, which closes them after the last class).
 */
public final class EmbeddedInfrastructure implements BeforeAllCallback {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(EmbeddedInfrastructure.class);

  private static EmbeddedKafkaKraftBroker kafka;
  private static EmbeddedPostgres postgres;

  /** Starts both on first use. */
  public static synchronized void start() {
    if (kafka != null) {
      return;
    }
    // initdb and the broker's start each take seconds: run them side by side
    CompletableFuture<EmbeddedPostgres> pg =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return EmbeddedPostgres.builder().start();
              } catch (IOException e) {
                throw new UncheckedIOException("embedded Postgres did not start", e);
              }
            });
    EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
    broker.kafkaPorts(0);
    // a one-broker test cluster: small offsets topic, no delay before the first group rebalance
    broker.brokerProperty("offsets.topic.num.partitions", "1");
    broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
    try {
      broker.afterPropertiesSet();
      // every catalogue topic as a deployment holds it (partitions, compaction), as the gateway's
      // topic check requires
      try (Admin admin =
          Admin.create(
              Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()))) {
        admin.createTopics(CatalogueTopics.newTopics()).all().get(60, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException("could not create the catalogue topics", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      postgres = pg.join();
    } catch (RuntimeException e) {
      try {
        broker.destroy();
        pg.join().close();
      } catch (RuntimeException | IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    kafka = broker;
  }

  public static synchronized String kafkaBootstrapServers() {
    start();
    return kafka.getBrokersAsString();
  }

  public static synchronized EmbeddedPostgres postgres() {
    start();
    return postgres;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    start();
    context
        .getRoot()
        .getStore(NAMESPACE)
        .computeIfAbsent("infrastructure", key -> (AutoCloseable) EmbeddedInfrastructure::stop);
  }

  private static synchronized void stop() throws IOException {
    if (kafka == null) {
      return;
    }
    try {
      kafka.destroy();
    } finally {
      kafka = null;
      EmbeddedPostgres pg = postgres;
      postgres = null;
      pg.close();
    }
  }
}
