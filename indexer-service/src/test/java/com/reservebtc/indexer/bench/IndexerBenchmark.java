package com.reservebtc.indexer.bench;

import com.reservebtc.contracts.anvil.AnvilNode;
import com.reservebtc.contracts.deploy.DeploymentParameters;
import com.reservebtc.contracts.deploy.ProtocolDeployer;
import com.reservebtc.contracts.deploy.ProtocolDeployment;
import com.reservebtc.indexer.IndexerApplication;
import com.reservebtc.indexer.chain.Address;
import com.reservebtc.indexer.chain.ChainClient;
import com.reservebtc.indexer.chain.RpcObserver;
import com.reservebtc.indexer.decode.LogDecoder;
import com.reservebtc.indexer.deployment.ContractKind;
import com.reservebtc.indexer.deployment.Deployment;
import com.reservebtc.indexer.load.ChainLoad;
import com.reservebtc.schemas.EventIds;
import com.reservebtc.schemas.Topic;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.ChainLogRef;
import com.reservebtc.schemas.serde.AvroValueDeserializer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * Measures the indexer on this machine: backfill throughput (logs/s into Kafka) over a local Anvil
 * chain of at least 200,000 protocol logs, and live latency from a block being mined to its record
 * being visible to a read_committed consumer. Writes the results as Markdown.
 *
 * <p>Components: Anvil (pinned npm binary) with a generated chain that is cached as an Anvil state
 * file; a single KRaft broker embedded in this JVM (spring-kafka-test's EmbeddedKafkaKraftBroker);
 * an embedded Postgres (zonky); the indexer in its own JVM, so its memory can be measured.
 *
 * <p>Run with {@code indexer-service/bench/run}; options: {@code --logs N} (default 200000), {@code
 * --txs-per-block N} (200), {@code --live-blocks N} (300), {@code --cache DIR}, {@code --results
 * FILE}, {@code --java-options "..."} (the indexer's JVM options, default {@link
 * #DEFAULT_JAVA_OPTIONS}, those of the local stack's launcher), {@code --app DIR} (run the indexer
 * as shipped: the extracted application jar in DIR, {@code java -jar}; default: the classes of this
 * checkout on the test class path), {@code --cds-archive FILE} (with {@code --app}: start from this
 * class-data sharing archive, recorded first by a training run if it does not exist), {@code
 * --startup-runs N} (only measure N start-ups, process start to first pass, and print them), {@code
 * --jfr FILE} (record the indexer with Flight Recorder).
 */
public final class IndexerBenchmark {

  private static final List<Topic<?>> CHAIN_TOPICS =
      List.of(
          Topics.CHAIN_SYNCED,
          Topics.CHAIN_EMERGENCY_BURNS,
          Topics.CHAIN_TOKEN_TRANSFERS,
          Topics.CHAIN_FEE_VAULT,
          Topics.CHAIN_YIELD_POOL);
  private static final int FINALIZED_DEPTH = 64;

  /**
   * The indexer's JVM options in the local stack's launcher (devstack {@code ServiceJvm}), with
   * Spring AOT on as the launcher turns it on for a jar built with it.
   */
  static final String DEFAULT_JAVA_OPTIONS =
      "-Xmx320m -XX:+UseParallelGC -Dspring.aot.enabled=true";

  private final Map<String, String> options;
  private final Map<String, Long> seen = new ConcurrentHashMap<>();
  private final AtomicLong records = new AtomicLong();
  private final AtomicLong lastRecordNanos = new AtomicLong();
  private final AtomicLong firstRecordNanos = new AtomicLong();
  private String loadAtStart = "unknown";
  private final AtomicBoolean consuming = new AtomicBoolean(true);

  private IndexerBenchmark(Map<String, String> options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    new IndexerBenchmark(options).run();
    System.exit(0);
  }

  private long option(String name, long fallback) {
    return Long.parseLong(options.getOrDefault(name, Long.toString(fallback)));
  }

  private void run() throws Exception {
    loadAtStart = loadAverage();
    say("Load average: " + loadAtStart);
    long wantedLogs = option("logs", 200_000);
    int txsPerBlock = (int) option("txs-per-block", 200);
    int liveBlocks = (int) option("live-blocks", 300);
    String javaOptions = options.getOrDefault("java-options", DEFAULT_JAVA_OPTIONS);
    Path cache = Path.of(options.getOrDefault("cache", "bench/.cache"));
    Path results = Path.of(options.getOrDefault("results", "bench/RESULTS.md"));
    Files.createDirectories(cache);
    Path state = cache.resolve("chain-" + wantedLogs + "-" + txsPerBlock + ".json");
    Path deploymentFile = cache.resolve("chain-" + wantedLogs + "-" + txsPerBlock + ".properties");

    long generationMillis = -1;
    if (!Files.exists(state) || !Files.exists(deploymentFile)) {
      Files.deleteIfExists(state);
      say("Generating a chain with at least " + wantedLogs + " logs (cached in " + state + ")");
      long start = System.nanoTime();
      try (AnvilNode anvil = AnvilNode.builder().stateFile(state).start()) {
        Web3j web3j = Web3j.build(new HttpService(anvil.rpcUrl()));
        Credentials committee = Credentials.create(AnvilNode.DEV_ACCOUNT_0_PRIVATE_KEY);
        ProtocolDeployment deployment =
            new ProtocolDeployer(web3j, committee)
                .deploy(DeploymentParameters.defaults(committee.getAddress()));
        try (ChainLoad load = new ChainLoad(anvil.rpcUrl(), anvil.chainId(), deployment, 1)) {
          ChainLoad.Generated generated = load.generate(wantedLogs, txsPerBlock);
          say("Generated " + generated);
        }
        deployment.writeTo(deploymentFile);
        web3j.shutdown();
      }
      generationMillis = (System.nanoTime() - start) / 1_000_000;
    }
    ProtocolDeployment deployment = ProtocolDeployment.readFrom(deploymentFile);

    say("Starting Anvil from " + state);
    // Loading a state of a few hundred MB takes longer than Anvil's usual start on a busy machine.
    try (AnvilNode anvil =
            AnvilNode.builder()
                .stateFile(copyOf(state))
                .startupTimeout(Duration.ofMinutes(3))
                .start();
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
      EmbeddedKafkaKraftBroker kafka = startKafka();
      try {
        if (option("startup-runs", 0) > 0) {
          startups(
              anvil, deployment, kafka, postgres, javaOptions, (int) option("startup-runs", 0));
        } else {
          run(
              anvil,
              deployment,
              kafka,
              postgres,
              javaOptions,
              liveBlocks,
              generationMillis,
              results);
        }
      } finally {
        kafka.destroy();
      }
    }
  }

  private void run(
      AnvilNode anvil,
      ProtocolDeployment deployment,
      EmbeddedKafkaKraftBroker kafka,
      EmbeddedPostgres postgres,
      String javaOptions,
      int liveBlocks,
      long generationMillis,
      Path results)
      throws Exception {
    List<Deployment> contracts = contracts(deployment);
    ChainClient node =
        new ChainClient(
            List.of(anvil.rpcUrl()),
            Duration.ofSeconds(60),
            Duration.ofSeconds(60),
            100,
            // Counting the chain's logs, 50 blocks at a time, needs no bound.
            Integer.MAX_VALUE,
            Long.MAX_VALUE,
            RpcObserver.NONE);
    long head = node.headNumber();
    long expected = countLogs(node, contracts, deployment.deploymentBlock(), head);
    long blocks = head - deployment.deploymentBlock() + 1;
    say(
        "Chain: "
            + expected
            + " protocol logs in blocks "
            + deployment.deploymentBlock()
            + ".."
            + head);

    Thread consumer = new Thread(() -> consume(kafka.getBrokersAsString()), "bench-consumer");
    consumer.setDaemon(true);
    consumer.start();

    Path log = Files.createTempFile("indexer-bench", ".log");
    say("Indexer output: " + log);
    int port = freePort();
    long started = System.nanoTime();
    prepareCdsArchive(anvil, deployment, kafka, postgres, javaOptions);
    long anvilCpuAtStart = cpuTicks(anvil.pid());
    long benchCpuAtStart = cpuTicks(ProcessHandle.current().pid());
    Process indexer = startIndexer(anvil, deployment, kafka, postgres, javaOptions, log, port);
    MemoryWatch memory = new MemoryWatch(indexer.pid());
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest statusRequest =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status")).build();
    try {
      long ready = 0;
      long cpuAtReady = 0;
      while (records.get() < expected) {
        if (!indexer.isAlive()) {
          throw new IllegalStateException("the indexer exited; see " + log);
        }
        if (ready == 0 && running(http, statusRequest)) {
          ready = System.nanoTime();
          cpuAtReady = memory.cpuTicks();
        }
        memory.sample();
        pause(ready == 0 ? 20 : 5);
      }
      long done = lastRecordNanos.get();
      double cpuSeconds = (memory.cpuTicks() - cpuAtReady) / 100.0;
      double anvilCpuSeconds = (cpuTicks(anvil.pid()) - anvilCpuAtStart) / 100.0;
      double benchCpuSeconds = (cpuTicks(ProcessHandle.current().pid()) - benchCpuAtStart) / 100.0;
      // First to last record seen by the read_committed consumer.
      double backfillSeconds = (done - firstRecordNanos.get()) / 1e9;
      double totalSeconds = (done - started) / 1e9;
      // Process start until the ingest loop runs its first pass (/status RUNNING).
      double startupSeconds = (ready - started) / 1e9;
      say(
          String.format(
              Locale.ROOT, "Start-up (process start to first pass): %.2f s", startupSeconds));
      say(
          String.format(
              Locale.ROOT,
              "Backfill: %d logs in %.2f s = %.0f logs/s (%.2f s from process start; CPU seconds"
                  + " from process start: indexer %.2f after its first pass, Anvil %.2f, broker and"
                  + " consumer %.2f)",
              expected,
              backfillSeconds,
              expected / backfillSeconds,
              totalSeconds,
              cpuSeconds,
              anvilCpuSeconds,
              benchCpuSeconds));
      long backfillRssPeak = memory.peakKib();

      // Live: small blocks mined on demand; the first reorg window's worth are warm-up.
      List<Long> latencies = new ArrayList<>();
      try (ChainLoad load = new ChainLoad(anvil.rpcUrl(), anvil.chainId(), deployment, 2)) {
        load.automine(false);
        int warmUp = FINALIZED_DEPTH + 16;
        for (int i = 0; i < warmUp + liveBlocks; i++) {
          String raw = load.nextDeposit();
          String txHash = ChainLoad.txHash(raw);
          load.sendBatch(List.of(raw));
          load.call("evm_mine", List.of());
          long mined = System.nanoTime();
          long deadline = mined + Duration.ofSeconds(30).toNanos();
          Long received;
          while ((received = seen.get(txHash)) == null) {
            if (System.nanoTime() > deadline || !indexer.isAlive()) {
              throw new IllegalStateException("block with " + txHash + " not indexed; see " + log);
            }
            Thread.onSpinWait();
          }
          if (i >= warmUp) {
            latencies.add(received - mined);
          }
          memory.sample();
          pause(20);
        }
      }
      write(
          results,
          anvil,
          deployment,
          expected,
          blocks,
          backfillSeconds,
          totalSeconds,
          startupSeconds,
          cpuSeconds,
          anvilCpuSeconds,
          benchCpuSeconds,
          backfillRssPeak,
          memory.peakKib(),
          latencies,
          generationMillis,
          javaOptions);
      say("Results written to " + results);
    } finally {
      consuming.set(false);
      indexer.destroy();
      indexer.waitFor();
      node.close();
    }
  }

  private static List<Deployment> contracts(ProtocolDeployment d) {
    long start = d.deploymentBlock();
    return List.of(
        new Deployment(ContractKind.ORACLE_AGGREGATOR, Address.of(d.oracleAggregator()), start),
        new Deployment(ContractKind.RBTC_SYNTH, Address.of(d.synth()), start),
        new Deployment(ContractKind.FEE_VAULT, Address.of(d.feeVault()), start),
        new Deployment(ContractKind.VAULT_WRBTC, Address.of(d.wrbtc()), start),
        new Deployment(ContractKind.YIELD_POOL, Address.of(d.yieldPool()), start));
  }

  private static long countLogs(ChainClient node, List<Deployment> contracts, long from, long to) {
    Set<String> topics = new LogDecoder(31337, contracts).topic0s();
    List<Address> addresses = contracts.stream().map(Deployment::address).toList();
    long count = 0;
    for (long a = from; a <= to; a += 50) {
      count += node.logs(a, Math.min(to, a + 49), addresses, topics).size();
    }
    return count;
  }

  private Process startIndexer(
      AnvilNode anvil,
      ProtocolDeployment deployment,
      EmbeddedKafkaKraftBroker kafka,
      EmbeddedPostgres postgres,
      String javaOptions,
      Path log,
      int port)
      throws IOException {
    List<String> command = javaCommand(javaOptions);
    if (options.containsKey("jfr")) {
      command.add(1, "-XX:StartFlightRecording=settings=profile,filename=" + options.get("jfr"));
    }
    Path archive = cdsArchive();
    // Not with Flight Recorder: OpenJDK 17 crashes when its class hooks meet a dynamic archive.
    if (archive != null && !options.containsKey("jfr")) {
      command.add(1, "-XX:SharedArchiveFile=" + archive);
    }
    command.addAll(indexerArgs(anvil, deployment, kafka, postgres, port, "indexer"));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  /** {@code java}, the options, and what to run: the shipped jar or this checkout's classes. */
  private List<String> javaCommand(String javaOptions) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String option : javaOptions.trim().split("\\s+")) {
      if (!option.isEmpty()) {
        command.add(option);
      }
    }
    Path app = app();
    if (app != null) {
      command.add("-jar");
      command.add(app.toString());
    } else {
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(IndexerApplication.class.getName());
    }
    return command;
  }

  /** The extracted application jar of {@code --app DIR}, or null. */
  private Path app() {
    String dir = options.get("app");
    if (dir == null) {
      return null;
    }
    try (var files = Files.list(Path.of(dir))) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".jar"))
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no application jar in " + dir));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read --app " + dir, e);
    }
  }

  private Path cdsArchive() {
    return options.containsKey("cds-archive") ? Path.of(options.get("cds-archive")) : null;
  }

  /**
   * Records the class-data sharing archive if it is asked for and missing: one training run of the
   * same command that exits once the application context is refreshed ({@code
   * spring.context.exit=onRefresh}), against a schema of its own so the measured run still starts
   * on an empty database.
   */
  private void prepareCdsArchive(
      AnvilNode anvil,
      ProtocolDeployment deployment,
      EmbeddedKafkaKraftBroker kafka,
      EmbeddedPostgres postgres,
      String javaOptions)
      throws IOException, InterruptedException {
    Path archive = cdsArchive();
    if (archive == null || Files.exists(archive)) {
      return;
    }
    if (app() == null) {
      throw new IllegalArgumentException("--cds-archive needs --app (an extracted jar)");
    }
    Files.createDirectories(archive.toAbsolutePath().getParent());
    List<String> command = javaCommand(javaOptions);
    command.add(1, "-XX:ArchiveClassesAtExit=" + archive);
    command.add(2, "-Dspring.context.exit=onRefresh");
    command.addAll(indexerArgs(anvil, deployment, kafka, postgres, freePort(), "cds_training"));
    Path log = Files.createTempFile("indexer-cds-training", ".log");
    long start = System.nanoTime();
    Process training =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    int exit = training.waitFor();
    if (exit != 0 || !Files.exists(archive)) {
      throw new IllegalStateException(
          "the CDS training run failed (exit " + exit + "); see " + log);
    }
    say(
        String.format(
            Locale.ROOT,
            "CDS archive %s recorded by a training run in %.1f s (%d MiB)",
            archive,
            (System.nanoTime() - start) / 1e9,
            Files.size(archive) >> 20));
  }

  private static List<String> indexerArgs(
      AnvilNode anvil,
      ProtocolDeployment deployment,
      EmbeddedKafkaKraftBroker kafka,
      EmbeddedPostgres postgres,
      int port,
      String schema) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("spring.kafka.bootstrap-servers", kafka.getBrokersAsString());
    properties.put(
        "spring.datasource.url",
        postgres.getJdbcUrl("postgres", "postgres") + "&currentSchema=" + schema);
    properties.put("spring.datasource.username", "postgres");
    properties.put("spring.datasource.password", "");
    properties.put("spring.flyway.schemas", schema);
    properties.put("spring.flyway.default-schema", schema);
    properties.put("server.port", Integer.toString(port));
    properties.put("rbtc.chain.rpc-url", anvil.rpcUrl());
    properties.put("rbtc.chain.finalized-depth", Integer.toString(FINALIZED_DEPTH));
    properties.put("rbtc.indexer.reconcile-interval", "0");
    // One broker: the topic check accepts a single replica.
    properties.put("rbtc.kafka.min-replication", "1");
    properties.put("rbtc.kafka.min-insync-replicas", "1");
    properties.putAll(deployment.toProperties());
    List<String> args = new ArrayList<>();
    properties.forEach((k, v) -> args.add("--" + k + "=" + v));
    return args;
  }

  /**
   * Starts the indexer {@code runs} times against the same chain, broker and database, each time
   * until its first pass runs (then it is stopped), and prints each start-up time: the first starts
   * on an empty database, the others resume from the cursor the previous ones committed.
   */
  private void startups(
      AnvilNode anvil,
      ProtocolDeployment deployment,
      EmbeddedKafkaKraftBroker kafka,
      EmbeddedPostgres postgres,
      String javaOptions,
      int runs)
      throws Exception {
    prepareCdsArchive(anvil, deployment, kafka, postgres, javaOptions);
    HttpClient http = HttpClient.newHttpClient();
    List<String> times = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      Path log = Files.createTempFile("indexer-startup", ".log");
      int port = freePort();
      HttpRequest status =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status")).build();
      long started = System.nanoTime();
      Process indexer = startIndexer(anvil, deployment, kafka, postgres, javaOptions, log, port);
      try {
        while (!running(http, status)) {
          if (!indexer.isAlive()) {
            throw new IllegalStateException("the indexer exited; see " + log);
          }
          pause(20);
        }
        times.add(
            String.format(
                Locale.ROOT,
                "%.2f s (%.2f CPU s)",
                (System.nanoTime() - started) / 1e9,
                cpuTicks(indexer.pid()) / 100.0));
        say("Start-up " + (i + 1) + ": " + times.get(i) + " (" + log + ")");
      } finally {
        indexer.destroy();
        indexer.waitFor();
      }
    }
    say("Start-ups (process start to first pass) with " + javaOptions + ": " + times);
  }

  private void consume(String brokers) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // Latency is measured here: fetch as soon as anything is committed.
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "5");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    try (KafkaConsumer<String, SpecificRecord> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new AvroValueDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (Topic<?> topic : CHAIN_TOPICS) {
        consumer
            .partitionsFor(topic.name())
            .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (consuming.get()) {
        var batch = consumer.poll(Duration.ofMillis(100));
        long now = System.nanoTime();
        for (ConsumerRecord<String, SpecificRecord> record : batch) {
          ChainLogRef ref =
              (ChainLogRef) record.value().get(record.value().getSchema().getField("log").pos());
          if (ref.getRetracted()) {
            records.decrementAndGet();
            continue;
          }
          if (seen.putIfAbsent(ref.getTxHash() + ":" + ref.getLogIndex(), now) != null) {
            throw new IllegalStateException("published twice: " + EventIds.of(ref));
          }
          seen.putIfAbsent(ref.getTxHash(), now);
          lastRecordNanos.set(now);
          firstRecordNanos.compareAndSet(0, now);
          records.incrementAndGet();
        }
      }
    }
  }

  private static EmbeddedKafkaKraftBroker startKafka() throws Exception {
    EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, 1);
    kafka.kafkaPorts(0);
    kafka.brokerProperty("transaction.state.log.replication.factor", "1");
    kafka.brokerProperty("transaction.state.log.min.isr", "1");
    kafka.brokerProperty("transaction.state.log.num.partitions", "1");
    kafka.brokerProperty("offsets.topic.num.partitions", "1");
    kafka.afterPropertiesSet();
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString()))) {
      List<NewTopic> topics = new ArrayList<>();
      for (Topic<?> topic : Topics.all()) {
        NewTopic newTopic = new NewTopic(topic.name(), topic.partitions(), (short) 1);
        if (topic.compacted()) {
          newTopic.configs(
              Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        }
        topics.add(newTopic);
      }
      admin.createTopics(topics).all().get();
    }
    return kafka;
  }

  private void write(
      Path results,
      AnvilNode anvil,
      ProtocolDeployment deployment,
      long logs,
      long blocks,
      double backfillSeconds,
      double totalSeconds,
      double startupSeconds,
      double cpuSeconds,
      double anvilCpuSeconds,
      double benchCpuSeconds,
      long backfillRssKib,
      long peakRssKib,
      List<Long> latencies,
      long generationMillis,
      String javaOptions)
      throws IOException, InterruptedException {
    long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    StringBuilder md = new StringBuilder();
    md.append("# indexer-service benchmark results\n\n");
    md.append("Generated by `indexer-service/bench/run` on ").append(Instant.now()).append(".\n\n");
    md.append("## Machine\n\n");
    md.append("- CPU: ")
        .append(cpuModel())
        .append(", ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores visible to the JVM\n");
    md.append("- RAM: ").append(memTotal()).append('\n');
    md.append("- Load average when the benchmark started (1/5/15 min; other work on the machine): ")
        .append(loadAtStart)
        .append('\n');
    md.append("- OS: ")
        .append(System.getProperty("os.name"))
        .append(' ')
        .append(System.getProperty("os.version"))
        .append('\n');
    md.append("- Java: ")
        .append(System.getProperty("java.vm.name"))
        .append(' ')
        .append(System.getProperty("java.runtime.version"))
        .append('\n');
    md.append("- Anvil: ").append(anvilVersion()).append('\n');
    md.append(
            "- Everything on this one machine: Anvil, a single Kafka KRaft broker embedded in the"
                + " benchmark JVM (spring-kafka-test `EmbeddedKafkaKraftBroker`, kafka ")
        .append(org.apache.kafka.common.utils.AppInfoParser.getVersion())
        .append("), embedded Postgres (zonky), the indexer in its own JVM, and the measuring")
        .append(" read_committed consumer in the benchmark JVM.\n");
    md.append("- Indexer JVM: ")
        .append(
            app() != null
                ? "the shipped jar, extracted (`java -jar " + app().getFileName() + "`)"
                : "the classes of this checkout on the test class path")
        .append(
            cdsArchive() != null
                ? ", started from a class-data sharing archive (`-XX:SharedArchiveFile`) recorded"
                    + " by a training run (`-XX:ArchiveClassesAtExit`,"
                    + " `-Dspring.context.exit=onRefresh`)"
                : ", no class-data sharing archive")
        .append("; options `")
        .append(javaOptions.trim())
        .append("`.\n\n");
    md.append("## Inputs\n\n");
    md.append("- Chain: ")
        .append(logs)
        .append(" protocol logs (FeeVault Deposited, and per")
        .append(" `sync` an rBTC-SYNTH Transfer, a FeeVault Spent and a Synced) in ")
        .append(blocks)
        .append(" blocks, raw transactions packed into blocks with `evm_mine`")
        .append(
            generationMillis >= 0
                ? " (generated in " + generationMillis / 1000 + " s)"
                : " (loaded from the cached Anvil state)")
        .append(".\n");
    md.append(
            "- Indexer: default settings (`fetch-concurrency` 4, `target-logs-per-request` 5000,"
                + " `max-records-per-transaction` 20000, lz4, `linger.ms` 5), `finalized-depth` ")
        .append(FINALIZED_DEPTH)
        .append(", WebSocket heads from Anvil.\n");
    md.append(
        "- Kafka topics: the catalogue's partition counts (6 per user-keyed topic, 1 for the"
            + " blocks, quarantine and cursor topics), broker defaults otherwise (the cursor is"
            + " small: the reorg window's records are in the indexer's database).\n\n");
    md.append("## Backfill\n\n");
    md.append(
        "| logs | seconds (first to last record) | logs/s (first to last record) | start-up"
            + " (process start to first pass) | seconds from process start to last record"
            + " | indexer CPU seconds after its first pass | Anvil CPU seconds | broker + consumer"
            + " CPU seconds | peak RSS |\n|---|---|---|---|---|---|---|---|---|\n");
    md.append(
        String.format(
            Locale.ROOT,
            "| %d | %.2f | **%.0f** | **%.2f s** | %.2f | %.1f | %.1f | %.1f | %d MiB |%n%n",
            logs,
            backfillSeconds,
            logs / backfillSeconds,
            startupSeconds,
            totalSeconds,
            cpuSeconds,
            anvilCpuSeconds,
            benchCpuSeconds,
            backfillRssKib / 1024));
    md.append("## Live head to Kafka\n\n");
    md.append(
            "One deposit per block, each block mined on demand with `evm_mine` after the previous"
                + " one was seen; latency = from `evm_mine` returning to the record being visible to a"
                + " read_committed consumer (fetch.max.wait.ms 5) in the benchmark JVM. The first ")
        .append(FINALIZED_DEPTH + 16)
        .append(
            " blocks are warm-up (they push the packed backfill blocks out of the reorg"
                + " window) and not counted.\n\n");
    md.append(
        "| blocks | p50 | p90 | p99 | max | peak RSS (whole run) |\n|---|---|---|---|---|---|\n");
    md.append(
        String.format(
            Locale.ROOT,
            "| %d | %.1f ms | %.1f ms | **%.1f ms** | %.1f ms | %d MiB" + " |%n",
            sorted.length,
            q(sorted, 0.5),
            q(sorted, 0.9),
            q(sorted, 0.99),
            sorted[sorted.length - 1] / 1e6,
            peakRssKib / 1024));
    Files.createDirectories(results.toAbsolutePath().getParent());
    Files.writeString(results, md.toString(), StandardCharsets.UTF_8);
    System.out.println(md);
  }

  private static boolean running(HttpClient http, HttpRequest status) {
    try {
      return http.send(status, HttpResponse.BodyHandlers.ofString())
          .body()
          .contains("\"state\":\"RUNNING\"");
    } catch (IOException notYet) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static double q(long[] sorted, double quantile) {
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
  }

  private static String cpuModel() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
      if (line.startsWith("model name")) {
        return line.substring(line.indexOf(':') + 1).trim();
      }
    }
    return "unknown";
  }

  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return fields[0] + " / " + fields[1] + " / " + fields[2];
    } catch (IOException unreadable) {
      return "unknown";
    }
  }

  private static String memTotal() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
      if (line.startsWith("MemTotal")) {
        long kib = Long.parseLong(line.replaceAll("\\D", ""));
        return (kib / 1024 / 1024) + " GiB";
      }
    }
    return "unknown";
  }

  private static String anvilVersion() throws IOException, InterruptedException {
    Process p = new ProcessBuilder(AnvilNode.locateBinary().toString(), "--version").start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out.lines().findFirst().orElse("unknown").trim();
  }

  /** Anvil rewrites its state file on exit: run from a copy so the cache stays as generated. */
  private static Path copyOf(Path state) throws IOException {
    Path copy = Files.createTempFile("anvil-bench-state", ".json");
    Files.copy(state, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    copy.toFile().deleteOnExit();
    return copy;
  }

  private static void pause(long millis) throws InterruptedException {
    Thread.sleep(millis);
  }

  private static void say(String line) {
    System.out.println("[bench] " + line);
  }

  /** User plus system CPU time of a process, in clock ticks (1/100 s); 0 once it is gone. */
  private static long cpuTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException processGone) {
      return 0;
    }
  }

  /** Peak resident memory of a process, from /proc. */
  private static final class MemoryWatch {
    private final long pid;
    private long peakKib;

    MemoryWatch(long pid) {
      this.pid = pid;
    }

    void sample() {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
          if (line.startsWith("VmHWM:")) {
            peakKib = Math.max(peakKib, Long.parseLong(line.replaceAll("\\D", "")));
          }
        }
      } catch (IOException processGone) {
        // Sampling stops with the process.
      }
    }

    long peakKib() {
      sample();
      return peakKib;
    }

    /** User plus system CPU time of the process, in clock ticks (1/100 s). */
    long cpuTicks() {
      return IndexerBenchmark.cpuTicks(pid);
    }
  }
}
