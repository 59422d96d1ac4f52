package com.reservebtc.gateway.bench;

import com.reservebtc.gateway.TestRecords;
import com.reservebtc.schemas.Keys;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.AlertKind;
import com.reservebtc.schemas.avro.BalanceDisputed;
import com.reservebtc.schemas.avro.BlockMarkerKind;
import com.reservebtc.schemas.avro.EmergencyAlert;
import com.reservebtc.schemas.avro.LoyaltyTier;
import com.reservebtc.schemas.avro.OperationStatus;
import com.reservebtc.schemas.avro.OracleOperation;
import com.reservebtc.schemas.avro.Token;
import com.reservebtc.schemas.avro.TokenEvent;
import com.reservebtc.schemas.avro.TokenEventKind;
import com.reservebtc.schemas.avro.YieldParticipantState;
import com.reservebtc.schemas.avro.YieldPoolEvent;
import com.reservebtc.schemas.serde.AvroValueSerializer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Benchmark infrastructure in its own process: a KRaft broker with the gateway's topics and a
 * Postgres server, both on free loopback ports, seeded with {@code --users} users' worth of
 * realistic records (bindings, syncs, wrBTC, oracle operations, participant states, alerts,
 * disputes). Writes {@code infra.properties}, {@code users.txt} and {@code seeded.count} into
 * {@code --dir}, then runs until the process is terminated (its shutdown hook stops both).
 *
 * <p>Usage: {@code BenchInfrastructure --dir DIR [--users N]}
 */
public final class BenchInfrastructure {

  static final long CHAIN = 31337;

  private BenchInfrastructure() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(BenchArgs.value(args, "--dir", null));
    int users = Integer.parseInt(BenchArgs.value(args, "--users", "2000"));
    Files.createDirectories(dir);

    EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
    EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, 1);
    kafka.kafkaPorts(0);
    kafka.brokerProperty("offsets.topic.num.partitions", "1");
    kafka.brokerProperty("group.initial.rebalance.delay.ms", "0");
    kafka.afterPropertiesSet();
    try (org.apache.kafka.clients.admin.Admin admin =
        org.apache.kafka.clients.admin.Admin.create(
            java.util.Map.of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.getBrokersAsString()))) {
      admin
          .createTopics(com.reservebtc.schemas.CatalogueTopics.newTopics())
          .all()
          .get(60, java.util.concurrent.TimeUnit.SECONDS);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  kafka.destroy();
                  try {
                    postgres.close();
                  } catch (IOException e) {
                    System.err.println("postgres did not stop cleanly: " + e);
                  }
                  stopped.countDown();
                }));

    List<String> addresses = new ArrayList<>();
    for (int i = 1; i <= users; i++) {
      addresses.add(user(i));
    }
    long seeded = seed(kafka.getBrokersAsString(), addresses);
    Files.write(dir.resolve("users.txt"), addresses);
    Files.writeString(dir.resolve("seeded.count"), Long.toString(seeded));
    Properties infra = new Properties();
    infra.setProperty("kafka", kafka.getBrokersAsString());
    infra.setProperty(
        "jdbc",
        "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres?currentSchema=gateway");
    Path tmp = dir.resolve("infra.properties.tmp");
    try (var out = Files.newBufferedWriter(tmp)) {
      infra.store(out, "benchmark infrastructure");
    }
    Files.move(tmp, dir.resolve("infra.properties"));
    System.out.println("infrastructure ready: " + infra + ", " + seeded + " records seeded");
    stopped.await();
  }

  static String user(int i) {
    return String.format("0x%040x", 0x1000_0000L + i);
  }

  static Properties producerProperties(String bootstrap) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    return props;
  }

  /** Produces every user's records and waits for all acknowledgements; returns the count. */
  static long seed(String bootstrap, List<String> users) throws Exception {
    List<ProducerRecord<String, SpecificRecord>> records = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (int i = 0; i < users.size(); i++) {
      String user = users.get(i);
      long block = 1_000 + 10L * i;
      records.add(
          new ProducerRecord<>(
              Topics.ORACLE_BINDINGS.name(),
              user,
              TestRecords.bound(user, String.format("tb1qbench%031d", i), now - 60_000)));
      long balance = 0;
      for (int s = 0; s < 3; s++) {
        long delta = 10_000L * (s + 1);
        balance += delta;
        records.add(
            new ProducerRecord<>(
                Topics.CHAIN_SYNCED.name(),
                user,
                TestRecords.synced(
                    TestRecords.log(
                        CHAIN,
                        TestRecords.AGGREGATOR,
                        block + s,
                        0,
                        TestRecords.txHash(1_000_000L * i + s),
                        0,
                        false),
                    user,
                    balance,
                    delta,
                    "1000000000000000")));
      }
      records.add(
          new ProducerRecord<>(
              Topics.CHAIN_TOKEN_TRANSFERS.name(),
              user,
              TokenEvent.newBuilder()
                  .setLog(
                      TestRecords.log(
                          CHAIN,
                          TestRecords.SYNTH,
                          block + 5,
                          0,
                          TestRecords.txHash(1_000_000L * i + 5),
                          0,
                          false))
                  .setToken(Token.WRBTC)
                  .setKind(TokenEventKind.WRAPPED)
                  .setUser(user)
                  .setFrom(user)
                  .setTo(user)
                  .setAmount("5000")
                  .build()));
      records.add(
          new ProducerRecord<>(
              Topics.ORACLE_OPERATIONS.name(),
              user,
              OracleOperation.newBuilder()
                  .setOperationId("bench-" + i)
                  .setEthAddress(user)
                  .setStatus(OperationStatus.CONFIRMED)
                  .setTargetSats(balance)
                  .setOccurredAtMillis(now - 30_000)
                  .build()));
      if (i % 2 == 0) {
        records.add(
            new ProducerRecord<>(
                Topics.YIELD_PARTICIPANTS.name(),
                user,
                YieldParticipantState.newBuilder()
                    .setUser(user)
                    .setParticipantType(i % 6 == 0 ? 1 : 0)
                    .setEligible(true)
                    .setRegisteredOnChain(true)
                    .setTier(LoyaltyTier.BRONZE)
                    .setContributionSats(balance)
                    .setAccruedYield("123")
                    .setJoinedAtMillis(now - 86_400_000L * (i % 400))
                    .setUpdatedAtMillis(now - 10_000)
                    .build()));
      }
      if (i % 10 == 0) {
        records.add(
            new ProducerRecord<>(
                Topics.EMERGENCY_ALERTS.name(),
                user,
                EmergencyAlert.newBuilder()
                    .setUser(user)
                    .setKind(AlertKind.AT_RISK)
                    .setRbtcBalanceSats(balance)
                    .setFeeVaultBalanceWei("0")
                    .setRequiredFeeWei("1000000000000000")
                    .setMessage("Deposit ETH into the fee vault.")
                    .setOccurredAtMillis(now - 20_000)
                    .build()));
      }
      if (i % 20 == 0) {
        records.add(
            new ProducerRecord<>(
                Topics.CHAIN_YIELD_POOL.name(),
                user,
                YieldPoolEvent.newBuilder()
                    .setLog(
                        TestRecords.log(
                            CHAIN,
                            TestRecords.YIELD_POOL,
                            block + 6,
                            0,
                            TestRecords.txHash(1_000_000L * i + 6),
                            0,
                            false))
                    .setPayload(
                        BalanceDisputed.newBuilder()
                            .setUser(user)
                            .setReportedBalance(Long.toString(balance + 1_000))
                            .setOracleBalance(Long.toString(balance))
                            .build())
                    .build()));
      }
    }
    records.add(
        new ProducerRecord<>(
            Topics.CHAIN_BLOCKS.name(),
            Keys.chain(CHAIN),
            TestRecords.marker(CHAIN, BlockMarkerKind.CONFIRMED, 1_000 + 10L * users.size() / 2)));
    try (KafkaProducer<String, SpecificRecord> producer =
        new KafkaProducer<>(
            producerProperties(bootstrap), new StringSerializer(), new AvroValueSerializer())) {
      List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
      for (ProducerRecord<String, SpecificRecord> record : records) {
        acks.add(producer.send(record));
      }
      for (Future<RecordMetadata> ack : acks) {
        ack.get();
      }
    }
    return records.size();
  }
}
