package com.reservebtc.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.reservebtc.contracts.anvil.AnvilNode;
import com.reservebtc.contracts.deploy.DeploymentParameters;
import com.reservebtc.contracts.deploy.ProtocolDeployer;
import com.reservebtc.contracts.deploy.ProtocolDeployment;
import com.reservebtc.contracts.generated.FeeVault;
import com.reservebtc.contracts.generated.OracleAggregator;
import com.reservebtc.contracts.generated.RBTCSynth;
import com.reservebtc.contracts.generated.VaultWrBTC;
import com.reservebtc.contracts.generated.YieldScalesPool;
import com.reservebtc.schemas.EventIds;
import com.reservebtc.schemas.Topic;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.BlockMarker;
import com.reservebtc.schemas.avro.BlockMarkerKind;
import com.reservebtc.schemas.avro.ChainLogRef;
import com.reservebtc.schemas.avro.IndexerCursor;
import com.reservebtc.schemas.serde.AvroValueDeserializer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.web3j.abi.EventEncoder;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.gas.StaticEIP1559GasProvider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What every indexer integration test runs against: a real Anvil chain with the protocol deployed,
 * a real KRaft broker with the product's topics, a real Postgres, and a read_committed consumer of
 * everything the indexer writes. Subclasses start indexers with {@link #startIndexer()}; they are
 * closed after each test, the infrastructure after the class.
 */
abstract class IndexerTestbed {

  static final BigInteger ONE_CENT_ETH = BigInteger.TEN.pow(16);
  static final Duration TIMEOUT = Duration.ofSeconds(45);
  static final List<Topic<?>> CHAIN_TOPICS =
      List.of(
          Topics.CHAIN_SYNCED,
          Topics.CHAIN_EMERGENCY_BURNS,
          Topics.CHAIN_TOKEN_TRANSFERS,
          Topics.CHAIN_FEE_VAULT,
          Topics.CHAIN_YIELD_POOL);

  static AnvilNode anvil;
  static Web3j web3j;
  static HttpService rpc;
  static ProtocolDeployment deployment;
  static FeeVault feeVault;
  static OracleAggregator aggregator;
  static EmbeddedKafkaKraftBroker kafka;
  static EmbeddedPostgres postgres;
  static KafkaConsumer<String, SpecificRecord> consumer;
  static final List<ConsumerRecord<String, SpecificRecord>> seen = new ArrayList<>();

  final List<ConfigurableApplicationContext> indexers = new ArrayList<>();
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startInfrastructure() throws Exception {
    seen.clear();
    // One-block epochs: Anvil's safe tag is the head's parent, finalized two blocks below the head.
    anvil = AnvilNode.builder().slotsInAnEpoch(1).start();
    rpc = new HttpService(anvil.rpcUrl());
    web3j = Web3j.build(rpc);
    Credentials committee = Credentials.create(AnvilNode.DEV_ACCOUNT_0_PRIVATE_KEY);
    deployment =
        new ProtocolDeployer(web3j, committee)
            .deploy(DeploymentParameters.defaults(committee.getAddress()));
    RawTransactionManager tx = new RawTransactionManager(web3j, committee, anvil.chainId());
    // Fixed limits: the dynamic provider estimates gas without the call's ETH value.
    StaticEIP1559GasProvider gas =
        new StaticEIP1559GasProvider(
            anvil.chainId(),
            BigInteger.valueOf(20_000_000_000L),
            BigInteger.valueOf(1_000_000_000L),
            BigInteger.valueOf(1_000_000));
    feeVault = FeeVault.load(deployment.feeVault(), web3j, tx, gas);
    aggregator = OracleAggregator.load(deployment.oracleAggregator(), web3j, tx, gas);

    kafka = new EmbeddedKafkaKraftBroker(1, 1);
    kafka.kafkaPorts(0);
    kafka.brokerProperty("transaction.state.log.replication.factor", "1");
    kafka.brokerProperty("transaction.state.log.min.isr", "1");
    kafka.brokerProperty("transaction.state.log.num.partitions", "1");
    kafka.brokerProperty("offsets.topic.num.partitions", "1");
    kafka.afterPropertiesSet();
    createTopics();

    postgres = EmbeddedPostgres.builder().start();

    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumer = new KafkaConsumer<>(props, new StringDeserializer(), new AvroValueDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (Topic<?> topic : allIndexerTopics()) {
      consumer
          .partitionsFor(topic.name())
          .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  @AfterAll
  static void stopInfrastructure() throws IOException {
    if (consumer != null) {
      consumer.close();
    }
    if (kafka != null) {
      kafka.destroy();
    }
    if (postgres != null) {
      postgres.close();
    }
    if (web3j != null) {
      web3j.shutdown();
    }
    if (anvil != null) {
      anvil.close();
    }
  }

  @AfterEach
  void stopIndexers() {
    indexers.forEach(ConfigurableApplicationContext::close);
  }

  Process startIndexerProcess(Path output) throws IOException {
    return startIndexerProcess(output, Map.of());
  }

  /**
   * Starts the indexer in a child JVM (so it can be killed with SIGKILL), with {@code overrides}
   * applied to {@link #indexerProperties()}.
   */
  Process startIndexerProcess(Path output, Map<String, String> overrides) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx384m");
    // Start-up speed matters more than peak throughput for a process that lives seconds.
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+UseSerialGC");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(IndexerApplication.class.getName());
    command.addAll(args(overrides));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .start();
  }

  ConfigurableApplicationContext startIndexer() {
    return startIndexer(Map.of());
  }

  ConfigurableApplicationContext startIndexer(Map<String, String> overrides) {
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(IndexerApplication.class)
            .run(args(overrides).toArray(String[]::new));
    indexers.add(context);
    return context;
  }

  List<String> indexerArgs() {
    return args(Map.of());
  }

  /** The indexer's settings for this testbed; an override with an empty value removes a key. */
  Map<String, String> indexerProperties() {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("spring.kafka.bootstrap-servers", kafka.getBrokersAsString());
    properties.put(
        "spring.datasource.url",
        postgres.getJdbcUrl("postgres", "postgres") + "&currentSchema=indexer");
    properties.put("spring.datasource.username", "postgres");
    properties.put("spring.datasource.password", "");
    properties.put("server.port", "0");
    properties.put("rbtc.chain.rpc-url", anvil.rpcUrl());
    properties.put("rbtc.chain.confirmation-depth", "2");
    properties.put("rbtc.chain.finalized-depth", "6");
    properties.put("rbtc.indexer.poll-interval", "50ms");
    // One broker: the topic check accepts a single replica.
    properties.put("rbtc.kafka.min-replication", "1");
    properties.put("rbtc.kafka.min-insync-replicas", "1");
    properties.putAll(deployment.toProperties());
    return properties;
  }

  /** Overrides that replace the contract configuration by a list of the given contracts. */
  static Map<String, String> onlyContracts(Map<String, String> kindsByAddress) {
    Map<String, String> overrides = new LinkedHashMap<>();
    deployment.toProperties().keySet().stream()
        .filter(k -> k.startsWith("rbtc.contracts."))
        .forEach(k -> overrides.put(k, ""));
    int i = 0;
    for (Map.Entry<String, String> e : kindsByAddress.entrySet()) {
      overrides.put("rbtc.contracts.deployments[" + i + "].kind", e.getValue());
      overrides.put("rbtc.contracts.deployments[" + i + "].address", e.getKey());
      overrides.put(
          "rbtc.contracts.deployments[" + i + "].start-block",
          Long.toString(deployment.deploymentBlock()));
      i++;
    }
    return overrides;
  }

  private List<String> args(Map<String, String> overrides) {
    Map<String, String> properties = indexerProperties();
    overrides.forEach(
        (key, value) -> {
          if (value.isEmpty() && !key.equals("spring.datasource.password")) {
            properties.remove(key);
          } else {
            properties.put(key, value);
          }
        });
    List<String> args = new ArrayList<>();
    properties.forEach((key, value) -> args.add("--" + key + "=" + value));
    return args;
  }

  void awaitCaughtUp(ConfigurableApplicationContext indexer) {
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              long head = web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
              JsonNode status = status(indexer);
              assertThat(status.get("indexedBlock").asLong()).isEqualTo(head);
              assertThat(status.get("indexedBlockHash").asString()).isEqualTo(blockHash(head));
            });
  }

  /** Waits until no configured contract has blocks left to catch up. */
  void awaitCatchUpDone(ConfigurableApplicationContext indexer) {
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              JsonNode status = status(indexer);
              assertThat(status.get("deployments")).isNotEmpty();
              for (JsonNode d : status.get("deployments")) {
                assertThat(d.get("catchUpBlocks").asLong())
                    .as("blocks left to catch up for %s", d.get("address"))
                    .isZero();
              }
            });
  }

  JsonNode post(ConfigurableApplicationContext indexer, String path)
      throws IOException, InterruptedException {
    String port = indexer.getEnvironment().getProperty("local.server.port");
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return JsonMapper.builder().build().readTree(response.body());
  }

  JsonNode deploymentStatus(ConfigurableApplicationContext indexer, String address)
      throws IOException, InterruptedException {
    for (JsonNode d : status(indexer).get("deployments")) {
      if (d.get("address").asString().equals(address)) {
        return d;
      }
    }
    throw new AssertionError("no deployment " + address + " in /status");
  }

  /** Mines {@code blocks} empty blocks. */
  static void mine(int blocks) throws IOException {
    new Request<>("anvil_mine", List.of(blocks), rpc, VoidResponse.class).send();
  }

  static void setCursorTopicMaxMessageBytes(int bytes) throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString()))) {
      ConfigResource topic =
          new ConfigResource(ConfigResource.Type.TOPIC, Topics.INDEXER_CURSOR.name());
      admin
          .incrementalAlterConfigs(
              Map.of(
                  topic,
                  List.of(
                      new AlterConfigOp(
                          new ConfigEntry(
                              TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(bytes)),
                          AlterConfigOp.OpType.SET))))
          .all()
          .get();
    }
  }

  /** Chain records seen so far that are live: publications minus retractions. */
  static long liveChainRecords() {
    long live = 0;
    for (ConsumerRecord<String, SpecificRecord> record : seen) {
      if (isChainTopic(record.topic())) {
        live += logOf(record.value()).getRetracted() ? -1 : 1;
      }
    }
    return live;
  }

  JsonNode status(ConfigurableApplicationContext indexer) throws IOException, InterruptedException {
    HttpResponse<String> response = get(indexer, "/status");
    assertThat(response.statusCode()).isEqualTo(200);
    return JsonMapper.builder().build().readTree(response.body());
  }

  HttpResponse<String> get(ConfigurableApplicationContext indexer, String path)
      throws IOException, InterruptedException {
    String port = indexer.getEnvironment().getProperty("local.server.port");
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Folds every chain record seen so far (publications add, retractions remove) and compares the
   * result with the chain's canonical logs up to the indexed tip: nothing missing, nothing extra,
   * nothing published twice.
   */
  void assertLedgerEqualsCanonicalChain() throws IOException {
    pollToEnd();
    Map<String, String> live = new HashMap<>();
    for (ConsumerRecord<String, SpecificRecord> record : seen) {
      if (!isChainTopic(record.topic())) {
        continue;
      }
      ChainLogRef ref = logOf(record.value());
      String id = EventIds.of(ref);
      if (ref.getRetracted()) {
        assertThat(live.remove(id)).as("retraction of %s", id).isEqualTo(ref.getBlockHash());
      } else {
        assertThat(live.put(id, ref.getBlockHash())).as("duplicate of %s", id).isNull();
      }
    }
    long tip = lastCursor().getBlockNumber();
    EthFilter filter =
        new EthFilter(
            DefaultBlockParameter.valueOf(BigInteger.valueOf(deployment.deploymentBlock())),
            DefaultBlockParameter.valueOf(BigInteger.valueOf(tip)),
            List.of(
                deployment.oracleAggregator(),
                deployment.synth(),
                deployment.feeVault(),
                deployment.wrbtc(),
                deployment.yieldPool()));
    filter.addOptionalTopics(consumedSignatures().toArray(String[]::new));
    Map<String, String> canonical = new HashMap<>();
    for (EthLog.LogResult<?> result : web3j.ethGetLogs(filter).send().getLogs()) {
      Log log = (Log) result.get();
      canonical.put(
          EventIds.of(anvil.chainId(), log.getTransactionHash(), log.getLogIndex().intValue()),
          log.getBlockHash().toLowerCase());
    }
    assertThat(live).isEqualTo(canonical);
  }

  static Set<String> consumedSignatures() {
    return Set.of(
        EventEncoder.encode(OracleAggregator.SYNCED_EVENT),
        EventEncoder.encode(OracleAggregator.EMERGENCYBURN_EVENT),
        EventEncoder.encode(RBTCSynth.TRANSFER_EVENT),
        EventEncoder.encode(FeeVault.DEPOSITED_EVENT),
        EventEncoder.encode(FeeVault.SPENT_EVENT),
        EventEncoder.encode(FeeVault.WITHDRAWN_EVENT),
        EventEncoder.encode(VaultWrBTC.WRAPPED_EVENT),
        EventEncoder.encode(VaultWrBTC.REDEEMED_EVENT),
        EventEncoder.encode(VaultWrBTC.SLASHED_EVENT),
        EventEncoder.encode(YieldScalesPool.PARTICIPANTJOINED_EVENT),
        EventEncoder.encode(YieldScalesPool.YIELDCALCULATED_EVENT),
        EventEncoder.encode(YieldScalesPool.YIELDCLAIMED_EVENT),
        EventEncoder.encode(YieldScalesPool.SCALESBALANCEUPDATED_EVENT),
        EventEncoder.encode(YieldScalesPool.BALANCEDISPUTED_EVENT),
        EventEncoder.encode(YieldScalesPool.EMERGENCYBURNTRIGGERED_EVENT));
  }

  void assertMatchesReceipt(ChainLogRef ref, TransactionReceipt receipt, String contract)
      throws IOException {
    Log log =
        receipt.getLogs().stream()
            .filter(l -> l.getAddress().equalsIgnoreCase(contract))
            .filter(l -> l.getLogIndex().intValue() == ref.getLogIndex())
            .findFirst()
            .orElseThrow(() -> new AssertionError("no log of " + contract + " in the receipt"));
    assertThat(ref.getChainId()).isEqualTo(anvil.chainId());
    assertThat(ref.getContract()).isEqualTo(contract);
    assertThat(ref.getTxHash()).isEqualTo(receipt.getTransactionHash().toLowerCase());
    assertThat(ref.getBlockNumber()).isEqualTo(blockOf(receipt));
    assertThat(ref.getBlockHash()).isEqualTo(receipt.getBlockHash().toLowerCase());
    assertThat(ref.getLogIndex()).isEqualTo(log.getLogIndex().intValue());
    assertThat(ref.getBlockTimestamp()).isEqualTo(blockTimestamp(blockOf(receipt)));
    assertThat(ref.getRetracted()).isFalse();
  }

  static void poll() {
    consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
  }

  /** Reads every committed record there is now, so that no transaction is seen only in part. */
  static void pollToEnd() {
    Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
    await()
        .atMost(TIMEOUT)
        .until(
            () -> {
              poll();
              return end.entrySet().stream()
                  .allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
            });
  }

  static List<ConsumerRecord<String, SpecificRecord>> liveEventsOf(TransactionReceipt receipt) {
    String txHash = receipt.getTransactionHash().toLowerCase();
    return seen.stream()
        .filter(r -> isChainTopic(r.topic()))
        .filter(r -> logOf(r.value()).getTxHash().equals(txHash))
        .filter(r -> !logOf(r.value()).getRetracted())
        .toList();
  }

  static List<ChainLogRef> retractionsOf(String eventId) {
    return seen.stream()
        .filter(r -> isChainTopic(r.topic()))
        .map(r -> logOf(r.value()))
        .filter(ref -> ref.getRetracted() && EventIds.of(ref).equals(eventId))
        .toList();
  }

  static List<BlockMarker> markers(BlockMarkerKind kind) {
    return seen.stream()
        .filter(r -> r.topic().equals(Topics.CHAIN_BLOCKS.name()))
        .map(r -> (BlockMarker) r.value())
        .filter(m -> m.getKind() == kind)
        .toList();
  }

  /** Every marker seen so far, in topic order. */
  static List<BlockMarker> allMarkers() {
    return seen.stream()
        .filter(r -> r.topic().equals(Topics.CHAIN_BLOCKS.name()))
        .map(r -> (BlockMarker) r.value())
        .toList();
  }

  /** The latest marker of {@code kind} in topic order, as consumers read the current height. */
  static BlockMarker latestMarker(BlockMarkerKind kind) {
    List<BlockMarker> all = markers(kind);
    assertThat(all).as("%s markers", kind).isNotEmpty();
    return all.get(all.size() - 1);
  }

  static IndexerCursor lastCursor() {
    return seen.stream()
        .filter(r -> r.topic().equals(Topics.INDEXER_CURSOR.name()))
        .map(r -> (IndexerCursor) r.value())
        .reduce((a, b) -> b)
        .orElseThrow();
  }

  static String eventIdOf(ConsumerRecord<String, SpecificRecord> record) {
    return EventIds.of(logOf(record.value()));
  }

  static ChainLogRef logOf(SpecificRecord value) {
    return (ChainLogRef) value.get(value.getSchema().getField("log").pos());
  }

  static <T> T single(List<T> values) {
    assertThat(values).hasSize(1);
    return values.get(0);
  }

  static boolean isChainTopic(String topic) {
    return CHAIN_TOPICS.stream().anyMatch(t -> t.name().equals(topic));
  }

  static long blockOf(TransactionReceipt receipt) {
    return receipt.getBlockNumber().longValueExact();
  }

  static long blockTimestamp(long number) throws IOException {
    return block(number).getTimestamp().longValueExact();
  }

  static String blockHash(long number) throws IOException {
    return block(number).getHash().toLowerCase();
  }

  static EthBlock.Block block(long number) throws IOException {
    return web3j
        .ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(number)), false)
        .send()
        .getBlock();
  }

  static List<Topic<?>> allIndexerTopics() {
    List<Topic<?>> topics = new ArrayList<>(CHAIN_TOPICS);
    topics.add(Topics.CHAIN_BLOCKS);
    topics.add(Topics.CHAIN_QUARANTINE);
    topics.add(Topics.INDEXER_CURSOR);
    return topics;
  }

  static void createTopics() throws Exception {
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
  }
}
