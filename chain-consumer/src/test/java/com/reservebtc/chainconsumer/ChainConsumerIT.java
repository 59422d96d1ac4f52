package com.reservebtc.chainconsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.reservebtc.chainconsumer.testing.ChainInfrastructure;
import com.reservebtc.schemas.Keys;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.BlockMarker;
import com.reservebtc.schemas.avro.BlockMarkerKind;
import com.reservebtc.schemas.avro.ChainLogRef;
import com.reservebtc.schemas.avro.EmergencyBurnEvent;
import com.reservebtc.schemas.avro.EmergencyBurnSource;
import com.reservebtc.schemas.avro.Finality;
import com.reservebtc.schemas.serde.AvroValueSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The consumer's guarantees against a real broker and a real PostgreSQL, with a projection that
 * writes down every change it is given: the inbox per publication (A → retracted → A applies A
 * again; a record of another block replaces; redeliveries change nothing), heights from the latest
 * marker of each kind, deterministic failures dead-lettered alone and replayable, transient ones
 * retried without a dead letter.
 */
@ExtendWith(ChainInfrastructure.class)
@SpringBootTest(
    classes = ChainConsumerIT.TestApplication.class,
    properties = {
      "spring.application.name=emergency-burn-service",
      "rbtc.kafka.min-replication=1",
      "rbtc.kafka.min-insync-replicas=1",
      "rbtc.consumer.concurrency=2",
      "rbtc.consumer.initial-backoff=50ms",
      "rbtc.consumer.max-backoff=200ms"
    })
@DirtiesContext
class ChainConsumerIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String AGGREGATOR = "0x" + "a1".repeat(20);

  private static KafkaProducer<String, byte[]> producer;

  @Autowired JdbcClient jdbc;
  @Autowired io.micrometer.core.instrument.MeterRegistry meters;
  @Autowired DeadLetterReplay replay;
  @Autowired ConcurrentMessageListenerContainer<String, byte[]> container;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", ChainInfrastructure::bootstrapServers);
    registry.add("spring.datasource.url", () -> ChainInfrastructure.jdbcUrl("consumer_it"));
    registry.add("spring.flyway.default-schema", () -> "consumer_it");
  }

  @BeforeAll
  static void producer() {
    producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ChainInfrastructure.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all"),
            new StringSerializer(),
            new ByteArraySerializer());
  }

  @AfterAll
  static void close() {
    producer.close();
  }

  @Test
  void reappliesAnEventWhoseBlockComesBackAfterItsRetraction() {
    String user = randomAddress();
    String blockA = randomHash();
    EmergencyBurnEvent atA = burn(user, 7, blockA, false);
    send(user, atA);
    send(user, burn(user, 7, blockA, true));
    send(user, atA);

    String eventId = eventId(atA);
    await().atMost(WAIT).until(() -> changesOf(eventId).size() == 3);
    assertThat(changesOf(eventId))
        .containsExactly("APPLY@" + blockA, "RETRACT@" + blockA, "APPLY@" + blockA);
    assertThat(TestProjection.APPLIED).containsKey(eventId);
  }

  @Test
  void replacesAnEventFoundInAnotherBlockWithoutItsRetraction() {
    String user = randomAddress();
    String blockA = randomHash();
    String blockB = randomHash();
    EmergencyBurnEvent atA = burn(user, 8, blockA, false);
    send(user, atA);
    send(user, burn(user, 8, blockB, false));
    send(user, burn(user, 8, blockA, true));

    String eventId = eventId(atA);
    // The retraction of A comes after B replaced it: nothing to undo, and nothing is applied again.
    send(user, burn(randomAddress(), 1, randomHash(), false));
    await().atMost(WAIT).until(() -> changesOf(eventId).size() >= 2);
    awaitQuiet();
    assertThat(changesOf(eventId)).containsExactly("APPLY@" + blockA, "REPLACE@" + blockB);
  }

  @Test
  void aRedeliveredTopicChangesNothingWhateverTheGroupsOffsetsSay() throws Exception {
    String user = randomAddress();
    send(user, burn(user, 9, randomHash(), false));
    await().atMost(WAIT).until(() -> TestProjection.RECORDS.get() > 0);
    awaitQuiet();
    int records = TestProjection.RECORDS.get();
    long changes = changeCount();

    // The group's committed offsets go back to 0 (an operator's reset, a lost offsets topic):
    // the stored positions decide, and nothing is applied twice.
    container.stop();
    await().atMost(WAIT).until(() -> !container.isRunning());
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                ChainInfrastructure.bootstrapServers()))) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets("emergency-burn-service")
              .partitionsToOffsetAndMetadata()
              .get();
      assertThat(committed).isNotEmpty();
      Map<TopicPartition, OffsetAndMetadata> zero = new java.util.HashMap<>();
      committed.keySet().forEach(p -> zero.put(p, new OffsetAndMetadata(0)));
      await()
          .atMost(WAIT)
          .ignoreExceptions()
          .until(
              () -> {
                admin.alterConsumerGroupOffsets("emergency-burn-service", zero).all().get();
                return true;
              });
    }
    container.start();
    String sentinelUser = randomAddress();
    EmergencyBurnEvent sentinel = burn(sentinelUser, 10, randomHash(), false);
    send(sentinelUser, sentinel);
    await().atMost(WAIT).until(() -> changesOf(eventId(sentinel)).size() == 1);
    assertThat(TestProjection.RECORDS.get()).isEqualTo(records + 1);
    assertThat(changeCount()).isEqualTo(changes + 1);
  }

  @Test
  void heightsAreTheLatestMarkerOfEachKindAndGoDownWithAReorg() {
    long chain = ThreadLocalRandom.current().nextLong(1_000_000, 2_000_000_000);
    sendMarker(chain, BlockMarkerKind.CONFIRMED, 100);
    sendMarker(chain, BlockMarkerKind.FINALIZED, 60);
    sendMarker(chain, BlockMarkerKind.HEAD, 102);
    sendMarker(chain, BlockMarkerKind.RETRACTED, 98);
    sendMarker(chain, BlockMarkerKind.CONFIRMED, 97);
    await().atMost(WAIT).until(() -> heights(chain).equals(List.of(102L, 97L, 60L)));
    assertThat(new Heights(chain, 102L, 97L, 60L).finalityOf(98)).isEqualTo(Finality.PENDING);
    assertThat(TestProjection.HEIGHT_CHANGES.get(chain))
        .containsExactly(
            "CONFIRMED:null->100", "FINALIZED:null->60", "HEAD:null->102", "CONFIRMED:100->97");
  }

  @Test
  void deadLettersOnlyTheFailingRecordAndReplaysItAfterAFix() {
    String user = randomAddress();
    EmergencyBurnEvent before = burn(user, 11, randomHash(), false);
    EmergencyBurnEvent poison = burn(user, 12, randomHash(), false);
    EmergencyBurnEvent after = burn(user, 13, randomHash(), false);
    TestProjection.POISON.add(eventId(poison));
    byte[] garbage = ("not avro " + user).getBytes(StandardCharsets.UTF_8);
    sendRaw(user, garbage);
    send(user, before);
    send(user, poison);
    send(user, after);
    await().atMost(WAIT).until(() -> changesOf(eventId(after)).size() == 1);
    assertThat(changesOf(eventId(before))).hasSize(1);
    assertThat(changesOf(eventId(poison))).isEmpty();

    // Fixed: the operator replays the dead letters of the topic; the undecodable one stays.
    TestProjection.POISON.remove(eventId(poison));
    DeadLetterReplay.Result result = replay.replay(Topics.CHAIN_EMERGENCY_BURNS.name());
    assertThat(result.replayed()).isGreaterThanOrEqualTo(1);
    assertThat(result.failed()).isGreaterThanOrEqualTo(1);
    assertThat(changesOf(eventId(poison))).hasSize(1);
    // A second replay finds it replayed already.
    DeadLetterReplay.Result again = replay.replay(Topics.CHAIN_EMERGENCY_BURNS.name());
    assertThat(again.replayed()).isZero();
    assertThat(changesOf(eventId(poison))).hasSize(1);
  }

  @Test
  void transientFailuresAreRetriedUntilTheyClearAndDeadLetterNothing() {
    String user = randomAddress();
    EmergencyBurnEvent burn = burn(user, 14, randomHash(), false);
    TestProjection.TRANSIENT_FAILURES.put(eventId(burn), new AtomicInteger(5));
    send(user, burn);
    await().atMost(WAIT).until(() -> changesOf(eventId(burn)).size() == 1);
    assertThat(TestProjection.TRANSIENT_FAILURES.get(eventId(burn)).get()).isZero();
    long deadLettered =
        jdbc.sql("select count(*) from consumer_it.chain_publications where event_id = ?")
            .param(eventId(burn))
            .query(Long.class)
            .single();
    assertThat(deadLettered).isEqualTo(1);
  }

  @Test
  void aTransientFailureThatOutlastsAnyRetryLimitHoldsTheRecordBackBlockedUntilItClears() {
    String user = randomAddress();
    EmergencyBurnEvent burn = burn(user, 15, randomHash(), false);
    AtomicInteger attempts = new AtomicInteger();
    TestProjection.FAILING_UNTIL_CLEARED.put(eventId(burn), attempts);
    send(user, burn);
    // Far more tries than a bounded retry would make, and the gauge the ConsumerBlocked alert
    // watches reads 1 meanwhile; nothing is applied or dead-lettered.
    await().atMost(WAIT).until(() -> attempts.get() >= 20 && blocked() == 1.0);
    assertThat(changesOf(eventId(burn))).isEmpty();
    assertThat(
            jdbc.sql("select count(*) from consumer_it.chain_publications where event_id = ?")
                .param(eventId(burn))
                .query(Long.class)
                .single())
        .isZero();

    TestProjection.FAILING_UNTIL_CLEARED.remove(eventId(burn));
    await().atMost(WAIT).until(() -> changesOf(eventId(burn)).size() == 1);
    await().atMost(WAIT).until(() -> blocked() == 0.0);
    assertThat(changesOf(eventId(burn))).containsExactly("APPLY@" + burn.getLog().getBlockHash());
  }

  private double blocked() {
    return meters.get("rbtc.consumer.blocked").gauge().value();
  }

  // --- the test service ---------------------------------------------------------------------

  @SpringBootApplication
  static class TestApplication {
    @Bean
    TestProjection projection(JdbcClient jdbc) {
      return new TestProjection(jdbc);
    }

    @Bean
    io.micrometer.core.instrument.MeterRegistry meterRegistry() {
      return new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    }
  }

  /** Writes down every change; fails on demand. */
  static final class TestProjection implements Projection {

    static final Set<String> POISON = ConcurrentHashMap.newKeySet();
    static final Map<String, AtomicInteger> TRANSIENT_FAILURES = new ConcurrentHashMap<>();
    static final Map<String, AtomicInteger> FAILING_UNTIL_CLEARED = new ConcurrentHashMap<>();
    static final Map<String, String> APPLIED = new ConcurrentHashMap<>();
    static final Map<Long, List<String>> HEIGHT_CHANGES = new ConcurrentHashMap<>();
    static final AtomicInteger RECORDS = new AtomicInteger();

    private final JdbcClient jdbc;

    TestProjection(JdbcClient jdbc) {
      this.jdbc = jdbc;
      jdbc.sql("create schema if not exists consumer_it").update();
      jdbc.sql(
              "create table if not exists consumer_it.changes (seq bigserial primary key,"
                  + " event_id text not null, change text not null)")
          .update();
    }

    @Override
    public void apply(Batch batch) {
      for (ChainChange change : batch.chainChanges()) {
        if (POISON.contains(change.eventId())) {
          throw new IllegalStateException("cannot apply " + change.eventId());
        }
        AtomicInteger failures = TRANSIENT_FAILURES.get(change.eventId());
        if (failures != null && failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          throw new TransientDataAccessResourceException("database away");
        }
        AtomicInteger attempts = FAILING_UNTIL_CLEARED.get(change.eventId());
        if (attempts != null) {
          attempts.incrementAndGet();
          throw new TransientDataAccessResourceException("database away until the test clears it");
        }
      }
      for (ChainChange change : batch.chainChanges()) {
        jdbc.sql("insert into consumer_it.changes (event_id, change) values (?, ?)")
            .params(change.eventId(), change.kind() + "@" + change.log().getBlockHash())
            .update();
      }
      // Effects outside the database only once the batch is certain to commit: after the last
      // statement that may fail.
      for (ChainChange change : batch.chainChanges()) {
        if (change.kind() == ChainChange.Kind.RETRACT) {
          APPLIED.remove(change.eventId());
        } else {
          APPLIED.put(change.eventId(), change.log().getBlockHash());
        }
      }
      for (HeightChange moved : batch.heightChanges()) {
        HEIGHT_CHANGES
            .computeIfAbsent(
                moved.chainId(), c -> new java.util.concurrent.CopyOnWriteArrayList<>())
            .add(moved.kind() + ":" + moved.from() + "->" + moved.to());
      }
      RECORDS.addAndGet(batch.records().size());
    }
  }

  // --- helpers ------------------------------------------------------------------------------

  private List<String> changesOf(String eventId) {
    return jdbc.sql("select change from consumer_it.changes where event_id = ? order by seq")
        .param(eventId)
        .query(String.class)
        .list();
  }

  private long changeCount() {
    return jdbc.sql("select count(*) from consumer_it.changes").query(Long.class).single();
  }

  /** Head, confirmed and finalized height of {@code chain} (-1 for none). */
  private List<Long> heights(long chain) {
    return jdbc.sql(
            "select coalesce(head_block, -1), coalesce(confirmed_block, -1),"
                + " coalesce(finalized_block, -1) from consumer_it.chain_heights where chain_id = ?")
        .param(chain)
        .query((rs, n) -> List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3)))
        .optional()
        .orElse(List.of());
  }

  /** Every partition's stored position has reached the topic's end. */
  private void awaitQuiet() {
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                ChainInfrastructure.bootstrapServers()))) {
      await()
          .atMost(WAIT)
          .ignoreExceptions()
          .until(
              () -> {
                Map<TopicPartition, Long> ends = new java.util.HashMap<>();
                for (String topic : List.of(Topics.CHAIN_EMERGENCY_BURNS.name())) {
                  var description = admin.describeTopics(List.of(topic)).allTopicNames().get();
                  Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> specs =
                      new java.util.HashMap<>();
                  description
                      .get(topic)
                      .partitions()
                      .forEach(
                          p ->
                              specs.put(
                                  new TopicPartition(topic, p.partition()),
                                  org.apache.kafka.clients.admin.OffsetSpec.latest()));
                  admin.listOffsets(specs).all().get().forEach((p, o) -> ends.put(p, o.offset()));
                }
                for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                  long stored =
                      jdbc.sql(
                              "select coalesce(max(next_offset), 0) from consumer_it.consumer_positions"
                                  + " where topic = ? and partition = ?")
                          .params(end.getKey().topic(), end.getKey().partition())
                          .query(Long.class)
                          .single();
                  if (stored < end.getValue()) {
                    return false;
                  }
                }
                return true;
              });
    }
  }

  private static EmergencyBurnEvent burn(
      String user, long sats, String blockHash, boolean retracted) {
    ChainLogRef log =
        ChainLogRef.newBuilder()
            .setChainId(31337)
            .setContract(AGGREGATOR)
            .setTxHash("0x" + user.substring(2) + "00".repeat(12))
            .setLogIndex((int) sats)
            .setBlockNumber(1_000 + sats)
            .setBlockHash(blockHash)
            .setBlockTimestamp(1_758_600_000L)
            .setFinality(Finality.PENDING)
            .setRetracted(retracted)
            .build();
    return EmergencyBurnEvent.newBuilder()
        .setLog(log)
        .setSource(EmergencyBurnSource.ORACLE_AGGREGATOR)
        .setUser(user)
        .setBurnedAmount(Long.toString(sats))
        .setReason("test")
        .build();
  }

  private static String eventId(EmergencyBurnEvent event) {
    return com.reservebtc.schemas.EventIds.of(event.getLog());
  }

  private static void send(String user, SpecificRecord value) {
    sendTo(Topics.CHAIN_EMERGENCY_BURNS.name(), user, AvroValueSerializer.encode(value));
  }

  private static void sendRaw(String user, byte[] value) {
    sendTo(Topics.CHAIN_EMERGENCY_BURNS.name(), user, value);
  }

  private static void sendMarker(long chain, BlockMarkerKind kind, long block) {
    sendTo(
        Topics.CHAIN_BLOCKS.name(),
        Keys.chain(chain),
        AvroValueSerializer.encode(
            BlockMarker.newBuilder()
                .setChainId(chain)
                .setKind(kind)
                .setBlockNumber(block)
                .setBlockHash(randomHash())
                .setParentHash(randomHash())
                .setBlockTimestamp(1_758_600_000L + block)
                .build()));
  }

  private static void sendTo(String topic, String key, byte[] value) {
    try {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    } catch (Exception e) {
      throw new AssertionError("could not produce to " + topic, e);
    }
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
