package com.reservebtc.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.reservebtc.schemas.Topic;
import com.reservebtc.schemas.Topics;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class KafkaConfigTest {

  private static Properties serverProperties() throws Exception {
    Properties properties = new Properties();
    properties.load(
        new StringReader(
            KafkaBrokerProcess.serverProperties(
                new KafkaBrokerProcess.Config(
                    29092,
                    29093,
                    Path.of("/data/kafka"),
                    Path.of("/data/kafka.properties"),
                    Path.of("/data/logs/kafka.log"),
                    "512m"))));
    return properties;
  }

  @Test
  void brokerIsOneCombinedKraftNodeOnLoopback() throws Exception {
    Properties p = serverProperties();

    assertThat(p.getProperty("process.roles")).isEqualTo("broker,controller");
    assertThat(p.getProperty("node.id")).isEqualTo("1");
    assertThat(p.getProperty("controller.quorum.voters")).isEqualTo("1@127.0.0.1:29093");
    assertThat(p.getProperty("listeners"))
        .isEqualTo("PLAINTEXT://127.0.0.1:29092,CONTROLLER://127.0.0.1:29093");
    assertThat(p.getProperty("advertised.listeners")).isEqualTo("PLAINTEXT://127.0.0.1:29092");
    assertThat(p.getProperty("controller.listener.names")).isEqualTo("CONTROLLER");
    assertThat(p.getProperty("log.dirs")).isEqualTo("/data/kafka");
  }

  @Test
  void internalTopicsFitASingleBroker() throws Exception {
    Properties p = serverProperties();

    assertThat(p.getProperty("offsets.topic.replication.factor")).isEqualTo("1");
    assertThat(p.getProperty("transaction.state.log.replication.factor")).isEqualTo("1");
    assertThat(p.getProperty("transaction.state.log.min.isr")).isEqualTo("1");
    assertThat(p.getProperty("share.coordinator.state.topic.replication.factor")).isEqualTo("1");
    assertThat(p.getProperty("num.partitions")).isEqualTo("3");
    assertThat(p.getProperty("group.initial.rebalance.delay.ms")).isEqualTo("0");
    assertThat(p.getProperty("auto.create.topics.enable")).isEqualTo("false");
  }

  @Test
  void catalogueHasEveryTopicAndItsDeadLetterTopic() {
    Map<String, NewTopic> byName =
        KafkaTopics.catalogue().stream()
            .collect(Collectors.toMap(NewTopic::name, Function.identity()));

    assertThat(byName).hasSize(Topics.all().size() * 2);
    for (Topic<?> topic : Topics.all()) {
      assertThat(byName).containsKey(topic.name());
      assertThat(byName).containsKey(Topics.deadLetterOf(topic.name()));
      assertThat(byName.get(topic.name()).numPartitions()).isEqualTo(topic.partitions());
      assertThat(byName.get(topic.deadLetter()).numPartitions()).isEqualTo(topic.partitions());
    }
  }

  @Test
  void onlyCompactedCatalogueTopicsAreCompactedAndNeverTheirDeadLetters() {
    Map<String, NewTopic> byName =
        KafkaTopics.catalogue().stream()
            .collect(Collectors.toMap(NewTopic::name, Function.identity()));

    assertThat(byName.get(Topics.INDEXER_CURSOR.name()).configs())
        .containsEntry("cleanup.policy", "compact");
    assertThat(byName.get(Topics.deadLetterOf(Topics.INDEXER_CURSOR.name())).configs())
        .isNullOrEmpty();
    assertThat(byName.get(Topics.CHAIN_SYNCED.name()).configs()).isNullOrEmpty();
  }
}
