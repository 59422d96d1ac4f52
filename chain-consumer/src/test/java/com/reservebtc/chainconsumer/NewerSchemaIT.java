package com.reservebtc.chainconsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.reservebtc.chainconsumer.testing.ChainInfrastructure;
import com.reservebtc.schemas.EventIds;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.ChainLogRef;
import com.reservebtc.schemas.avro.EmergencyBurnEvent;
import com.reservebtc.schemas.avro.EmergencyBurnSource;
import com.reservebtc.schemas.avro.Finality;
import com.reservebtc.schemas.serde.AvroValueDeserializer;
import com.reservebtc.schemas.serde.AvroValueSerializer;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The upgrade order of a schema change (consumers before producers), against a real broker and a
 * real PostgreSQL: a record a newer producer wrote with a schema this service does not know is not
 * a bad record. It holds its partition back (the {@code rbtc.consumer.blocked} gauge, which the
 * ConsumerBlocked alert watches, reads 1), is never dead-lettered, and nothing after it on the
 * partition is applied; once the service is upgraded to know the schema, it applies the record and
 * everything after it, in order.
 */
@ExtendWith(ChainInfrastructure.class)
@SpringBootTest(
    classes = ChainConsumerIT.TestApplication.class,
    properties = {
      "spring.application.name=emergency-burn-service",
      "rbtc.kafka.min-replication=1",
      "rbtc.kafka.min-insync-replicas=1",
      "rbtc.consumer.initial-backoff=50ms",
      "rbtc.consumer.max-backoff=200ms"
    })
@DirtiesContext
class NewerSchemaIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String AGGREGATOR = "0x" + "a1".repeat(20);
  private static final String TOPIC = Topics.CHAIN_EMERGENCY_BURNS.name();

  /** The emergency-burn event as a newer producer writes it: one more field, with a default. */
  private static final Schema NEWER = newerEmergencyBurnSchema();

  @Autowired JdbcClient jdbc;
  @Autowired MeterRegistry meters;
  @Autowired ConcurrentMessageListenerContainer<String, byte[]> container;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", ChainInfrastructure::bootstrapServers);
    registry.add("spring.datasource.url", () -> ChainInfrastructure.jdbcUrl("consumer_it"));
    registry.add("spring.flyway.default-schema", () -> "consumer_it");
  }

  @Test
  void aRecordOfANewerSchemaHoldsItsPartitionBackUntilTheUpgradeAndIsNeverDeadLettered() {
    String user = randomAddress();
    EmergencyBurnEvent before = burn(user, 1);
    EmergencyBurnEvent newer = burn(user, 2);
    EmergencyBurnEvent after = burn(user, 3);
    TopicPartition partition;
    long newerOffset;
    try (KafkaProducer<String, byte[]> producer = producer()) {
      send(producer, user, AvroValueSerializer.encode(before));
      RecordMetadata written = send(producer, user, encodeWithNewerSchema(newer));
      partition = new TopicPartition(written.topic(), written.partition());
      newerOffset = written.offset();
      send(producer, user, AvroValueSerializer.encode(after));
    }

    await().atMost(WAIT).until(() -> blocked(meters) == 1.0);
    // Held back at the record it cannot read (a batch polled with it waits whole): nothing from it
    // on applied, nothing dead-lettered.
    assertThat(storedPosition(partition)).isLessThanOrEqualTo(newerOffset);
    assertThat(changesOf(EventIds.of(newer.getLog()))).isEmpty();
    assertThat(changesOf(EventIds.of(after.getLog()))).isEmpty();
    assertThat(deadLetters()).isZero();
    assertThat(blocked(meters)).isEqualTo(1.0);

    // The upgrade: this version stops, one that knows the schema takes the partitions over.
    container.stop();
    try (ConfigurableApplicationContext upgraded = startUpgradedService()) {
      MeterRegistry upgradedMeters = upgraded.getBean(MeterRegistry.class);
      await().atMost(WAIT).until(() -> changesOf(EventIds.of(after.getLog())).size() == 1);
      assertThat(changesOf(EventIds.of(newer.getLog()))).hasSize(1);
      assertThat(appliedOrder(user))
          .containsExactly(
              EventIds.of(before.getLog()),
              EventIds.of(newer.getLog()),
              EventIds.of(after.getLog()));
      assertThat(deadLetters()).isZero();
      assertThat(blocked(upgradedMeters)).isZero();
    }
  }

  private static ConfigurableApplicationContext startUpgradedService() {
    AvroValueDeserializer knowsTheNewerSchema = new AvroValueDeserializer(List.of(NEWER));
    return new SpringApplicationBuilder(ChainConsumerIT.TestApplication.class)
        .properties(
            "spring.application.name=emergency-burn-service",
            "rbtc.kafka.min-replication=1",
            "rbtc.kafka.min-insync-replicas=1",
            "rbtc.consumer.initial-backoff=50ms",
            "rbtc.consumer.max-backoff=200ms",
            "server.port=0",
            "spring.kafka.bootstrap-servers=" + ChainInfrastructure.bootstrapServers(),
            "spring.datasource.url=" + ChainInfrastructure.jdbcUrl("consumer_it"),
            "spring.flyway.default-schema=consumer_it")
        .initializers(
            context ->
                context
                    .getBeanFactory()
                    .registerSingleton("chainRecordDecoder", knowsTheNewerSchema))
        .run();
  }

  // --- helpers ------------------------------------------------------------------------------

  private static double blocked(MeterRegistry registry) {
    return registry.get("rbtc.consumer.blocked").gauge().value();
  }

  private List<String> changesOf(String eventId) {
    return jdbc.sql("select change from consumer_it.changes where event_id = ? order by seq")
        .param(eventId)
        .query(String.class)
        .list();
  }

  /** The user's event ids in the order the projection was given them. */
  private List<String> appliedOrder(String user) {
    List<String> ids = new ArrayList<>();
    for (String id :
        jdbc.sql("select event_id from consumer_it.changes order by seq")
            .query(String.class)
            .list()) {
      if (id.contains(user.substring(2))) {
        ids.add(id);
      }
    }
    return ids;
  }

  private long storedPosition(TopicPartition partition) {
    return jdbc.sql(
            "select coalesce(max(next_offset), 0) from consumer_it.consumer_positions"
                + " where topic = ? and partition = ?")
        .params(partition.topic(), partition.partition())
        .query(Long.class)
        .single();
  }

  /** Records on the topic's dead-letter topic, read from its beginning to its end. */
  private static long deadLetters() {
    String dlt = Topics.deadLetterOf(TOPIC);
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ChainInfrastructure.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_uncommitted"),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(dlt).stream()
              .map(p -> new TopicPartition(dlt, p.partition()))
              .toList();
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      return partitions.stream().mapToLong(p -> end.get(p) - begin.get(p)).sum();
    }
  }

  private static KafkaProducer<String, byte[]> producer() {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            ChainInfrastructure.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all"),
        new StringSerializer(),
        new ByteArraySerializer());
  }

  private static RecordMetadata send(
      KafkaProducer<String, byte[]> producer, String key, byte[] value) {
    try {
      return producer.send(new ProducerRecord<>(TOPIC, key, value)).get();
    } catch (Exception e) {
      throw new AssertionError("could not produce to " + TOPIC, e);
    }
  }

  private static Schema newerEmergencyBurnSchema() {
    Schema current = EmergencyBurnEvent.getClassSchema();
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field field : current.getFields()) {
      fields.add(new Schema.Field(field, field.schema()));
    }
    fields.add(
        new Schema.Field(
            "operatorNote", Schema.create(Schema.Type.STRING), "added by a newer producer", ""));
    return Schema.createRecord(
        current.getName(), current.getDoc(), current.getNamespace(), false, fields);
  }

  /** Single-object encoding with the newer schema (its own fingerprint in the header). */
  private static byte[] encodeWithNewerSchema(EmergencyBurnEvent event) {
    GenericData.Record record = new GenericData.Record(NEWER);
    for (Schema.Field field : EmergencyBurnEvent.getClassSchema().getFields()) {
      record.put(field.name(), event.get(field.pos()));
    }
    record.put("operatorNote", "written by a newer producer");
    try {
      ByteBuffer buffer =
          new BinaryMessageEncoder<GenericData.Record>(SpecificData.get(), NEWER).encode(record);
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static EmergencyBurnEvent burn(String user, long sats) {
    ChainLogRef log =
        ChainLogRef.newBuilder()
            .setChainId(31337)
            .setContract(AGGREGATOR)
            .setTxHash("0x" + user.substring(2) + "00".repeat(12))
            .setLogIndex((int) sats)
            .setBlockNumber(2_000 + sats)
            .setBlockHash(randomHash())
            .setBlockTimestamp(1_758_600_000L)
            .setFinality(Finality.PENDING)
            .setRetracted(false)
            .build();
    return EmergencyBurnEvent.newBuilder()
        .setLog(log)
        .setSource(EmergencyBurnSource.ORACLE_AGGREGATOR)
        .setUser(user)
        .setBurnedAmount(Long.toString(sats))
        .setReason("test")
        .build();
  }

  private static String randomAddress() {
    byte[] bytes = new byte[20];
    ThreadLocalRandom.current().nextBytes(bytes);
    return "0x" + HexFormat.of().formatHex(bytes);
  }

  private static String randomHash() {
    byte[] bytes = new byte[32];
    ThreadLocalRandom.current().nextBytes(bytes);
    return "0x" + HexFormat.of().formatHex(bytes);
  }
}
