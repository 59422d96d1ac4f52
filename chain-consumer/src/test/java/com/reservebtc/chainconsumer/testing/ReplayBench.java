package com.reservebtc.chainconsumer.testing;

import com.reservebtc.schemas.Service;
import com.reservebtc.schemas.Topic;
import com.reservebtc.schemas.Topics;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Measures how fast a service's projection replays its topics from offset 0 into empty tables:
 * fills a real broker (the catalogue's topics) with a {@link SyntheticChain}, starts the service in
 * this JVM against an empty PostgreSQL schema, and times from the first stored position to the
 * moment every partition's stored position reached the topic's end (plus the start-up before it).
 * Writes a Markdown report with the inputs and the machine.
 *
 * <p>Usage from a service's test sources: {@code ReplayBench.run(args, Service.X, App.class,
 * "schema")} with {@code --logs N} (default 200000), {@code --users N} (10000), {@code --results
 * FILE}, {@code --rounds N} (2).
 */
public final class ReplayBench {

  private ReplayBench() {}

  public static void run(String[] args, Service service, Class<?> application, String schema)
      throws Exception {
    int logs = Integer.parseInt(value(args, "--logs", "200000"));
    int users = Integer.parseInt(value(args, "--users", "10000"));
    int rounds = Integer.parseInt(value(args, "--rounds", "2"));
    Path results = Path.of(value(args, "--results", "target/replay-results.md"));

    EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, 1).kafkaPorts(0);
    kafka.brokerProperty("offsets.topic.num.partitions", "1");
    kafka.brokerProperty("group.initial.rebalance.delay.ms", "0");
    kafka.afterPropertiesSet();
    EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
    try (Admin admin = admin(kafka)) {
      CatalogueTopicsReady.create(admin, java.time.Duration.ofSeconds(60));
      say("generating " + logs + " chain records for " + users + " users");
      List<SyntheticChain.Published> records = SyntheticChain.generate(42, logs, users);
      Map<String, Integer> perTopic = new LinkedHashMap<>();
      long consumed = 0;
      for (SyntheticChain.Published record : records) {
        Topic<?> topic = Topics.byName(record.topic()).orElseThrow();
        if (topic.readBy(service)) {
          perTopic.merge(record.topic(), 1, Integer::sum);
          consumed++;
        }
      }
      produce(kafka, records);
      say(
          "produced "
              + records.size()
              + " records; "
              + consumed
              + " on "
              + service.id()
              + "'s topics");
      Map<TopicPartition, Long> ends = ends(admin, service);

      List<String> rows = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        String roundSchema = schema + "_r" + round;
        long started = System.nanoTime();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("spring.kafka.bootstrap-servers", kafka.getBrokersAsString());
        settings.put(
            "spring.datasource.url",
            postgres.getJdbcUrl("postgres", "postgres") + "&currentSchema=" + roundSchema);
        settings.put("spring.flyway.schemas", roundSchema);
        settings.put("spring.flyway.default-schema", roundSchema);
        settings.put("server.port", "0");
        settings.put("rbtc.kafka.min-replication", "1");
        settings.put("rbtc.kafka.min-insync-replicas", "1");
        settings.put("logging.level.root", "WARN");
        // as command-line arguments: they take precedence over the service's application.yml
        String[] arguments =
            settings.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        ConfigurableApplicationContext context =
            new SpringApplicationBuilder(application).run(arguments);
        try {
          long first = 0;
          while (true) {
            long applied = applied(postgres, roundSchema, ends);
            long now = System.nanoTime();
            if (applied > 0 && first == 0) {
              first = now;
            }
            if (applied >= consumed) {
              double seconds = (now - first) / 1e9;
              double total = (now - started) / 1e9;
              io.micrometer.core.instrument.Timer batches =
                  context
                      .getBean(io.micrometer.core.instrument.MeterRegistry.class)
                      .find("rbtc.consumer.batch")
                      .timer();
              long count = batches == null ? 0 : batches.count();
              rows.add(
                  String.format(
                      Locale.ROOT,
                      "| %d | %,d | %.1f s | %.1f s | **%,.0f events/s** | %,d batches, mean %.0f"
                          + " records, %.1f ms each |",
                      round,
                      consumed,
                      total,
                      seconds,
                      consumed / seconds,
                      count,
                      count == 0 ? 0.0 : (double) consumed / count,
                      count == 0 ? 0.0 : batches.mean(java.util.concurrent.TimeUnit.MILLISECONDS)));
              say(rows.get(rows.size() - 1));
              break;
            }
            Thread.sleep(100);
          }
        } finally {
          context.close();
        }
      }
      write(results, service, logs, users, perTopic, rows);
    } finally {
      kafka.destroy();
      postgres.close();
    }
  }

  private static void produce(
      EmbeddedKafkaKraftBroker kafka, List<SyntheticChain.Published> records) throws Exception {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      for (SyntheticChain.Published record : records) {
        producer.send(record.toProducerRecord());
      }
      producer.flush();
    }
  }

  private static Map<TopicPartition, Long> ends(Admin admin, Service service) throws Exception {
    Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
    for (Topic<?> topic : Topics.all()) {
      if (topic.readBy(service)) {
        for (int p = 0; p < topic.partitions(); p++) {
          specs.put(new TopicPartition(topic.name(), p), OffsetSpec.latest());
        }
      }
    }
    Map<TopicPartition, Long> ends = new HashMap<>();
    admin.listOffsets(specs).all().get().forEach((p, o) -> ends.put(p, o.offset()));
    return ends;
  }

  /** Records applied so far: the stored positions, capped at each partition's end. */
  private static long applied(
      EmbeddedPostgres postgres, String schema, Map<TopicPartition, Long> ends) {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT topic, partition, next_offset FROM " + schema + ".consumer_positions")) {
      long applied = 0;
      while (rs.next()) {
        Long end = ends.get(new TopicPartition(rs.getString(1), rs.getInt(2)));
        if (end != null) {
          applied += Math.min(end, rs.getLong(3));
        }
      }
      return applied;
    } catch (java.sql.SQLException notYet) {
      return 0;
    }
  }

  private static void write(
      Path results,
      Service service,
      int logs,
      int users,
      Map<String, Integer> perTopic,
      List<String> rows)
      throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("# ").append(service.id()).append(": replaying its topics from offset 0\n\n");
    md.append("Generated by `ReplayBench` on ").append(Instant.now()).append(".\n\n");
    md.append("## Machine\n\n");
    md.append("- ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores visible to the JVM, ")
        .append(Runtime.getRuntime().maxMemory() / (1024 * 1024))
        .append(" MiB max heap of this JVM, ")
        .append(System.getProperty("java.vm.name"))
        .append(' ')
        .append(System.getProperty("java.vm.version"))
        .append("; load average before the run ")
        .append(Files.readString(Path.of("/proc/loadavg")).trim())
        .append("\n");
    md.append(
        "- Everything in one JVM on this machine: an embedded KRaft broker with the catalogue's"
            + " topics, zonky embedded PostgreSQL (its defaults), the service's Spring context.\n\n");
    md.append("## Inputs\n\n");
    md.append("- `SyntheticChain` seed 42: ")
        .append(logs)
        .append(" chain records (1 in 50 retracted and re-published from the next block) for ")
        .append(users)
        .append(
            " users, 10 logs per block, HEAD/CONFIRMED markers per block, FINALIZED every 16.\n");
    md.append("- Records on the service's topics: ").append(perTopic).append("\n");
    md.append(
            "- Each round: a new empty schema, the consumer group's stored positions empty, so every")
        .append(
            " partition is read from offset 0 with the service's default `rbtc.consumer.*`.\n\n");
    md.append("## Results\n\n");
    md.append(
        "| round | records | start to last record applied | first to last | rate | batches |\n");
    md.append("|---|---|---|---|---|---|\n");
    rows.forEach(r -> md.append(r).append('\n'));
    Files.createDirectories(results.toAbsolutePath().getParent());
    Files.writeString(results, md.toString());
    say("wrote " + results);
  }

  private static Admin admin(EmbeddedKafkaKraftBroker kafka) {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString()));
  }

  private static String value(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }

  private static void say(String line) {
    System.out.println("[replay] " + line);
  }
}
