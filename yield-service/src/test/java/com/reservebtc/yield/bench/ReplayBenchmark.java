package com.reservebtc.yield.bench;

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
import com.reservebtc.schemas.avro.ParticipantJoined;
import com.reservebtc.schemas.avro.Token;
import com.reservebtc.schemas.avro.TokenEvent;
import com.reservebtc.schemas.avro.TokenEventKind;
import com.reservebtc.schemas.avro.YieldCalculated;
import com.reservebtc.schemas.avro.YieldClaimed;
import com.reservebtc.schemas.avro.YieldPoolEvent;
import com.reservebtc.schemas.serde.AvroValueSerializer;
import com.reservebtc.yield.SchemaDump;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The replay benchmark (run by {@code yield-service/bench/run-replay}, not by the build): fills the
 * catalogue's topics with a synthetic but protocol-shaped history ({@code bench.events} records:
 * rBTC-SYNTH mints and burns, aggregator emergency burns with their token burn, the pool's joins,
 * claims and YieldCalculated, head and confirmed markers) while the service consumes it (the
 * incremental run), then empties the service's tables and times the rebuild from offset 0, and
 * checks the rebuilt tables equal the incremental run's, row by row. Writes the result to {@code
 * bench.out}.
 */
@ExtendWith(ChainInfrastructure.class)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = {
      "rbtc.kafka.min-replication=1",
      "rbtc.kafka.min-insync-replicas=1",
      "rbtc.outbox.poll-interval=1s"
    })
@DirtiesContext
class ReplayBenchmark {

  private static final long CHAIN = 31337;
  private static final long T0 = 1_700_000_000L;
  private static final String SYNTH = "0x" + "5e".repeat(20);
  private static final String POOL = "0x" + "b0".repeat(20);
  private static final String AGGREGATOR = "0x" + "a1".repeat(20);
  private static final String ZERO = "0x" + "00".repeat(20);

  @Autowired JdbcClient jdbc;

  @Autowired
  @Qualifier("chainConsumerContainer")
  MessageListenerContainer container;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", ChainInfrastructure::bootstrapServers);
    registry.add("spring.datasource.url", () -> ChainInfrastructure.jdbcUrl("yield"));
  }

  @Test
  void replaysFromOffsetZeroIntoEmptyTables() throws Exception {
    int target = Integer.getInteger("bench.events", 200_000);
    int users = Integer.getInteger("bench.users", 5_000);
    long produceStart = System.nanoTime();
    long records = produce(target, users);
    double produceSeconds = (System.nanoTime() - produceStart) / 1e9;
    long incrementalStart = System.nanoTime();
    awaitApplied(records, Duration.ofMinutes(30));
    double incrementalSeconds = (System.nanoTime() - incrementalStart) / 1e9 + produceSeconds;
    Map<String, List<String>> incremental = SchemaDump.derived(jdbc);

    container.stop();
    await().atMost(Duration.ofMinutes(1)).until(() -> !container.isRunning());
    jdbc.sql(
            "truncate yield_ledger, yield_scales_participants, yield_scales_state,"
                + " consumer_positions, chain_publications, chain_heights")
        .update();
    long replayStart = System.nanoTime();
    container.start();
    awaitApplied(records, Duration.ofMinutes(30));
    double replaySeconds = (System.nanoTime() - replayStart) / 1e9;
    Map<String, List<String>> replayed = SchemaDump.derived(jdbc);
    boolean identical = replayed.equals(incremental);

    long ledger = jdbc.sql("select count(*) from yield_ledger").query(Long.class).single();
    long participants =
        jdbc.sql("select count(*) from yield_scales_participants").query(Long.class).single();
    String report =
        String.format(
            "yield-service replay benchmark, %s%n"
                + "records on the topics: %d (%d users; token, emergency-burn, pool and block"
                + " topics; 6 partitions per user topic)%n"
                + "ledger rows %d, participants %d%n"
                + "incremental run (consumed while produced): %.1f s%n"
                + "replay from offset 0 into empty tables: %.1f s = %.0f records/s%n"
                + "replayed tables identical to the incremental run, row by row: %s%n"
                + "consumer: concurrency %s, max-poll-records %s%n"
                + "machine: %d cores, %s; load average before the replay: %s%n",
            Instant.now(),
            records,
            users,
            ledger,
            participants,
            incrementalSeconds,
            replaySeconds,
            records / replaySeconds,
            identical,
            System.getProperty("rbtc.consumer.concurrency", "1"),
            System.getProperty("rbtc.consumer.max-poll-records", "2000"),
            Runtime.getRuntime().availableProcessors(),
            System.getProperty("os.name") + " " + System.getProperty("os.arch"),
            Files.readString(Path.of("/proc/loadavg")).trim());
    System.out.println(report);
    String out = System.getProperty("bench.out");
    if (out != null) {
      Files.writeString(Path.of(out), report);
    }
    assertThat(replayed).isEqualTo(incremental);
  }

  private void awaitApplied(long records, Duration timeout) {
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                jdbc.sql("select coalesce(sum(next_offset), 0) from consumer_positions")
                        .query(Long.class)
                        .single()
                    >= records);
  }

  /** Produces about {@code target} records; returns how many. */
  private long produce(int target, int userCount) {
    Random random = new Random(42);
    String[] users = new String[userCount];
    long[] balances = new long[userCount];
    boolean[] joined = new boolean[userCount];
    for (int i = 0; i < userCount; i++) {
      byte[] bytes = new byte[20];
      random.nextBytes(bytes);
      users[i] = "0x" + HexFormat.of().formatHex(bytes);
    }
    long count = 0;
    try (KafkaProducer<String, SpecificRecord> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ChainInfrastructure.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG,
                20,
                ProducerConfig.BATCH_SIZE_CONFIG,
                256 * 1024),
            new StringSerializer(),
            new AvroValueSerializer())) {
      long block = 0;
      while (count < target) {
        block++;
        long time = T0 + block;
        int logIndex = 0;
        int events = 1 + random.nextInt(6);
        for (int e = 0; e < events; e++) {
          int u = random.nextInt(userCount);
          String user = users[u];
          String tx = hash(random);
          int roll = random.nextInt(100);
          if (roll < 70 || balances[u] == 0) {
            long sats = 10_000 + random.nextInt(5_000_000);
            balances[u] += sats;
            send(
                producer,
                Topics.CHAIN_TOKEN_TRANSFERS.name(),
                user,
                mint(user, sats, block, time, tx, logIndex++));
          } else if (roll < 85) {
            long sats = 1 + (long) (random.nextDouble() * balances[u]);
            balances[u] -= sats;
            send(
                producer,
                Topics.CHAIN_TOKEN_TRANSFERS.name(),
                user,
                burn(user, sats, block, time, tx, logIndex++));
          } else if (roll < 90) {
            long sats = balances[u];
            balances[u] = 0;
            send(
                producer,
                Topics.CHAIN_TOKEN_TRANSFERS.name(),
                user,
                burn(user, sats, block, time, tx, logIndex++));
            send(
                producer,
                Topics.CHAIN_EMERGENCY_BURNS.name(),
                user,
                EmergencyBurnEvent.newBuilder()
                    .setLog(log(AGGREGATOR, block, time, tx, logIndex++))
                    .setSource(EmergencyBurnSource.ORACLE_AGGREGATOR)
                    .setUser(user)
                    .setBurnedAmount(Long.toString(sats))
                    .setReason("Insufficient fees")
                    .build());
            count++;
          } else if (roll < 96 && !joined[u]) {
            joined[u] = true;
            send(
                producer,
                Topics.CHAIN_YIELD_POOL.name(),
                user,
                YieldPoolEvent.newBuilder()
                    .setLog(log(POOL, block, time, tx, logIndex++))
                    .setPayload(
                        ParticipantJoined.newBuilder()
                            .setUser(user)
                            .setParticipantType(0)
                            .setAmount(Long.toString(balances[u]))
                            .build())
                    .build());
          } else if (roll < 98) {
            send(
                producer,
                Topics.CHAIN_YIELD_POOL.name(),
                user,
                YieldPoolEvent.newBuilder()
                    .setLog(log(POOL, block, time, tx, logIndex++))
                    .setPayload(YieldClaimed.newBuilder().setUser(user).setAmount("1").build())
                    .build());
          } else {
            send(
                producer,
                Topics.CHAIN_YIELD_POOL.name(),
                "global",
                YieldPoolEvent.newBuilder()
                    .setLog(log(POOL, block, time, tx, logIndex++))
                    .setPayload(
                        YieldCalculated.newBuilder()
                            .setTotalUsdtVirtual("0")
                            .setTotalRbtcSupply("1")
                            .setCurrentYieldRate("5")
                            .build())
                    .build());
          }
          count++;
        }
        send(
            producer,
            Topics.CHAIN_BLOCKS.name(),
            Keys.chain(CHAIN),
            marker(BlockMarkerKind.HEAD, block, time));
        count++;
        if (block % 10 == 0 && block > 2) {
          send(
              producer,
              Topics.CHAIN_BLOCKS.name(),
              Keys.chain(CHAIN),
              marker(BlockMarkerKind.CONFIRMED, block - 2, time));
          count++;
        }
      }
      producer.flush();
    }
    return count;
  }

  private static void send(
      KafkaProducer<String, SpecificRecord> producer,
      String topic,
      String key,
      SpecificRecord value) {
    producer.send(
        new ProducerRecord<>(topic, key, value),
        (metadata, failure) -> {
          if (failure != null) {
            throw new IllegalStateException("could not produce to " + topic, failure);
          }
        });
  }

  private static TokenEvent mint(
      String user, long sats, long block, long time, String tx, int idx) {
    return TokenEvent.newBuilder()
        .setLog(log(SYNTH, block, time, tx, idx))
        .setToken(Token.RBTC_SYNTH)
        .setKind(TokenEventKind.MINT)
        .setUser(user)
        .setFrom(ZERO)
        .setTo(user)
        .setAmount(Long.toString(sats))
        .build();
  }

  private static TokenEvent burn(
      String user, long sats, long block, long time, String tx, int idx) {
    return TokenEvent.newBuilder(mint(user, sats, block, time, tx, idx))
        .setKind(TokenEventKind.BURN)
        .setFrom(user)
        .setTo(ZERO)
        .build();
  }

  private static BlockMarker marker(BlockMarkerKind kind, long block, long time) {
    return BlockMarker.newBuilder()
        .setChainId(CHAIN)
        .setKind(kind)
        .setBlockNumber(block)
        .setBlockHash(blockHash(block))
        .setParentHash(blockHash(block - 1))
        .setBlockTimestamp(time)
        .build();
  }

  private static ChainLogRef log(String contract, long block, long time, String tx, int idx) {
    return ChainLogRef.newBuilder()
        .setChainId(CHAIN)
        .setContract(contract)
        .setBlockNumber(block)
        .setBlockHash(blockHash(block))
        .setTxHash(tx)
        .setLogIndex(idx)
        .setBlockTimestamp(time)
        .setFinality(Finality.PENDING)
        .setRetracted(false)
        .build();
  }

  private static String blockHash(long block) {
    return String.format("0x%064x", block);
  }

  private static String hash(Random random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return "0x" + HexFormat.of().formatHex(bytes);
  }
}
