package com.reservebtc.emergency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.reservebtc.chainconsumer.testing.CatalogueTopicsReady;
import com.reservebtc.schemas.CatalogueTopics;
import com.reservebtc.schemas.TopicCheckException;
import com.reservebtc.schemas.Topics;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The service started against real brokers whose topics break the catalogue: it refuses to start
 * (before consuming anything) with one message naming each broken topic and what to do, and starts
 * once the topics are as the catalogue says. The check is chain-consumer's, shared by every service
 * that consumes chain topics.
 */
class TopicCheckIT {

  private static final String[] SINGLE_BROKER = {
    "--rbtc.kafka.min-replication=1", "--rbtc.kafka.min-insync-replicas=1"
  };

  private static EmbeddedPostgres postgres;
  private EmbeddedKafkaKraftBroker kafka;
  private ConfigurableApplicationContext service;

  @BeforeAll
  static void database() throws IOException {
    postgres = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopDatabase() throws IOException {
    if (postgres != null) {
      postgres.close();
    }
  }

  @AfterEach
  void stop() {
    if (service != null) {
      service.close();
    }
    if (kafka != null) {
      kafka.destroy();
    }
  }

  @Test
  void refusesToStartAgainstAMarkerTopicThatCompactsAndAChainTopicWithOtherPartitions() {
    String markers = Topics.CHAIN_BLOCKS.name();
    String synced = Topics.CHAIN_SYNCED.name();
    startBroker(
        topic -> {
          if (topic.name().equals(markers)) {
            // Compaction keeps one marker per chain: a consumer starting later misses retractions.
            return new NewTopic(markers, Optional.of(topic.numPartitions()), Optional.empty())
                .configs(
                    Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
          }
          if (topic.name().equals(synced)) {
            return new NewTopic(synced, Optional.of(topic.numPartitions() + 1), Optional.empty());
          }
          return topic;
        });

    assertThatThrownBy(() -> startService(SINGLE_BROKER))
        .hasRootCauseInstanceOf(TopicCheckException.class)
        .rootCause()
        .hasMessageContaining("Kafka topics needed by emergency-burn-service")
        .hasMessageContaining("refusing to start")
        .hasMessageContaining(
            markers
                + ": cleanup.policy is 'compact', must not compact (compaction keeps one record"
                + " per key and drops events); set cleanup.policy=delete")
        .hasMessageContaining(
            synced
                + ": has "
                + (Topics.CHAIN_SYNCED.partitions() + 1)
                + " partitions, the catalogue needs "
                + Topics.CHAIN_SYNCED.partitions()
                + "; re-create it")
        .hasMessageContaining("2 problems:");
    assertThat(service).as("no service context was created").isNull();
  }

  @Test
  void refusesSingleReplicaTopicsUnlessStartedAsTheLocalSingleBrokerStack() {
    startBroker(UnaryOperator.identity());

    assertThatThrownBy(() -> startService())
        .hasRootCauseInstanceOf(TopicCheckException.class)
        .rootCause()
        .hasMessageContaining(
            Topics.CHAIN_BLOCKS.name()
                + ": replication factor 1 is below 3; reassign its partitions to more brokers")
        .hasMessageContaining(
            Topics.CHAIN_SYNCED.name()
                + ": min.insync.replicas 1 is below 2; set min.insync.replicas=2")
        .hasMessageContaining("rbtc.kafka.min-replication=1 and rbtc.kafka.min-insync-replicas=1");

    // The same broker and topics pass with the single-broker minimums: the refusal above was the
    // topic check's, not any other start-up failure.
    startService(SINGLE_BROKER);
    assertThat(service.getBean(ConcurrentMessageListenerContainer.class).isRunning()).isTrue();
  }

  /** A single KRaft broker holding the catalogue's topics, each passed through {@code change}. */
  private void startBroker(UnaryOperator<NewTopic> change) {
    kafka = new EmbeddedKafkaKraftBroker(1, 1).kafkaPorts(0);
    kafka.afterPropertiesSet();
    List<NewTopic> topics = new ArrayList<>();
    for (NewTopic topic : CatalogueTopics.newTopics()) {
      topics.add(change.apply(topic));
    }
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString()))) {
      CatalogueTopicsReady.create(admin, topics, Duration.ofSeconds(60));
    }
  }

  private void startService(String... more) {
    List<String> args = new ArrayList<>();
    args.add("--spring.kafka.bootstrap-servers=" + kafka.getBrokersAsString());
    args.add(
        "--spring.datasource.url="
            + postgres.getJdbcUrl("postgres", "postgres")
            + "&currentSchema=emergency");
    args.add("--server.port=0");
    args.addAll(List.of(more));
    service =
        new SpringApplicationBuilder(EmergencyBurnApplication.class)
            .run(args.toArray(String[]::new));
  }
}
