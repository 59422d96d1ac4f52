package com.reservebtc.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.reservebtc.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class KafkaBrokerProcessIT {

  @TempDir Path temp;
  private final List<ChildProcess> spawned = new ArrayList<>();
  private KafkaBrokerProcess broker;

  @AfterEach
  void stopEverything() {
    if (broker != null) {
      broker.close();
    }
    spawned.forEach(p -> p.stop(Duration.ofSeconds(5)));
  }

  private KafkaBrokerProcess.Config config() {
    int port = Ports.free();
    int controllerPort = Ports.free();
    while (controllerPort == port) {
      controllerPort = Ports.free();
    }
    return new KafkaBrokerProcess.Config(
        port,
        controllerPort,
        temp.resolve("kafka"),
        temp.resolve("kafka-server.properties"),
        temp.resolve("logs/kafka.log"),
        "512m");
  }

  @Test
  void brokerProcessServesRealClientsAndIsGoneAfterClose() throws Exception {
    KafkaBrokerProcess.Config config = config();
    broker = KafkaBrokerProcess.launch(config, spawned::add);
    broker.awaitReady(Duration.ofSeconds(60));
    long pid = broker.pid();
    assertThat(ProcessHandle.of(pid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
    assertThat(config.logDir().resolve("meta.properties")).exists();

    KafkaTopics.ensure(broker.bootstrapServers(), Duration.ofSeconds(30));
    String topic = Topics.CHAIN_SYNCED.name();
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true),
            new StringSerializer(),
            new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, "0xabc", "hello")).get();
    }
    List<ConsumerRecord<String, String>> received = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
            new StringDeserializer(),
            new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                return !received.isEmpty();
              });
    }
    assertThat(received)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.key()).isEqualTo("0xabc");
              assertThat(r.value()).isEqualTo("hello");
            });

    broker.close();

    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(Ports.accepting(Ports.LOOPBACK, config.port())).isFalse();
  }

  @Test
  void createsTheCatalogueOnceWithTheCursorTopicCompactedAndKeepsItAcrossRestarts()
      throws Exception {
    KafkaBrokerProcess.Config config = config();
    broker = KafkaBrokerProcess.launch(config, spawned::add);
    broker.awaitReady(Duration.ofSeconds(60));

    int created = KafkaTopics.ensure(broker.bootstrapServers(), Duration.ofSeconds(30));

    assertThat(created).isEqualTo(Topics.all().size() * 2);
    try (Admin admin = KafkaBrokerProcess.admin(broker.bootstrapServers())) {
      Set<String> names = admin.listTopics().names().get();
      assertThat(names).contains(Topics.deadLetterOf(Topics.ORACLE_OPERATIONS.name()));
      ConfigResource cursor =
          new ConfigResource(ConfigResource.Type.TOPIC, Topics.INDEXER_CURSOR.name());
      ConfigEntry policy =
          admin.describeConfigs(List.of(cursor)).all().get().get(cursor).get("cleanup.policy");
      assertThat(policy.value()).isEqualTo("compact");
    }

    broker.close();
    String firstMeta = Files.readString(config.logDir().resolve("meta.properties"));
    broker = KafkaBrokerProcess.launch(config, spawned::add);
    broker.awaitReady(Duration.ofSeconds(60));

    assertThat(KafkaTopics.ensure(broker.bootstrapServers(), Duration.ofSeconds(30))).isZero();
    assertThat(Files.readString(config.logDir().resolve("meta.properties"))).isEqualTo(firstMeta);
  }
}
