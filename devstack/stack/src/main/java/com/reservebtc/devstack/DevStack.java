package com.reservebtc.devstack;

import com.reservebtc.contracts.anvil.AnvilNode;
import com.reservebtc.contracts.deploy.ProtocolDeployment;
import com.reservebtc.esplora.EsploraSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local stack: PostgreSQL, a Kafka broker with the topic catalogue, Anvil with the protocol
 * deployed, the Esplora simulator and the services, all on 127.0.0.1, started in that order.
 *
 * <p>Run it with {@link #main} (see {@code --help}), or from a test with {@link
 * #start(DevStackOptions)}, which returns only when every service is ready, and {@link #close()}.
 *
 * <p>Guarantees: every process the stack starts is recorded in {@code <data-dir>/pids} and stopped
 * by PID by {@link #close()} (services first, in parallel, then the Esplora simulator, Anvil, Kafka
 * and PostgreSQL); a failed start stops whatever had started. Not guaranteed: if the launcher JVM
 * is killed with SIGKILL its children keep running until the next start on the same data directory
 * stops them.
 *
 * <p>For fault tests, each service, the broker and the embedded PostgreSQL can be killed with
 * SIGKILL by PID and started again on the same ports and data ({@link #killService}, {@link
 * #killKafka}, {@link #killPostgres}, {@link #stopPostgres} and their restarts); the PID file and
 * the shutdown follow the restarted processes.
 */
public final class DevStack implements AutoCloseable {

  /** Environment variable with the committee key of an external deployment. Never printed. */
  static final String COMMITTEE_KEY_ENV = "RBTC_DEVSTACK_COMMITTEE_KEY";

  private static final Duration KAFKA_READY_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(60);
  private static final String KAFKA_HEAP = "512m";

  private final DevStackOptions options;
  private final Progress progress;
  private final Path dataDirPath;
  private final long startNanos = System.nanoTime();
  private final StopList stopList = new StopList();
  private volatile boolean closing;

  // set once by startAll, in this order; read by accessors after start returned
  private DataDirectory dataDir;
  private PidRegistry pids;
  private volatile PostgresServer postgres;
  private KafkaBrokerProcess.Config kafkaConfig;
  private volatile KafkaBrokerProcess kafka;
  private String kafkaBootstrap;
  private LocalChain chain;
  private Deployments.Outcome deployment;
  private BitcoinSource bitcoin;
  private String committeeKey;
  private String poolOracleKey;
  private volatile ServiceGroup services;

  DevStack(DevStackOptions options) {
    this.options = options;
    this.progress = new Progress(options.progress());
    this.dataDirPath =
        options
            .dataDir()
            .map(p -> p.toAbsolutePath().normalize())
            .orElseGet(() -> RepoRoot.locate(options.repoRoot()).resolve(".devstack"));
  }

  /**
   * Starts the whole stack and returns when every service is ready.
   *
   * @throws DevStackException if anything fails to start; everything started so far is stopped
   */
  public static DevStack start(DevStackOptions options) {
    DevStack stack = new DevStack(options);
    try {
      stack.startAll();
      return stack;
    } catch (RuntimeException | Error e) {
      try {
        stack.close();
      } catch (RuntimeException closeFailure) {
        e.addSuppressed(closeFailure);
      }
      throw e;
    }
  }

  /** The command-line launcher; see {@code --help}. */
  public static void main(String[] args) {
    Launcher.run(args);
  }

  // ---- accessors for tests and tools ----

  public Path dataDir() {
    return dataDirPath;
  }

  public Path logDir() {
    return dataDirPath.resolve("logs");
  }

  /** JDBC URL of the database (no schema); see {@link #postgresJdbcUrl(String)}. */
  public String postgresJdbcUrl() {
    return postgres.jdbcUrl();
  }

  /** JDBC URL with {@code currentSchema} set, as the service owning that schema uses it. */
  public String postgresJdbcUrl(String schema) {
    return postgres.jdbcUrl(schema);
  }

  public String postgresUser() {
    return postgres.user();
  }

  public String postgresPassword() {
    return postgres.password();
  }

  public int postgresPort() {
    return postgres.port();
  }

  public String kafkaBootstrapServers() {
    return kafkaBootstrap;
  }

  /** The broker's client port, if the stack runs the broker. */
  public Optional<Integer> kafkaPort() {
    return Optional.ofNullable(kafkaConfig).map(KafkaBrokerProcess.Config::port);
  }

  public String rpcUrl() {
    return chain.rpcUrl();
  }

  public long chainId() {
    return chain.chainId();
  }

  /** The Anvil node, if the stack runs one (its PID, port and development accounts). */
  public Optional<AnvilNode> anvil() {
    return chain.anvil();
  }

  public ProtocolDeployment deployment() {
    return deployment.deployment();
  }

  /** The deployment file the services' contract addresses came from. */
  public Path deploymentFile() {
    return deployment.file();
  }

  /** Base URL of the Esplora API the services use (the simulator's unless external). */
  public String esploraUrl() {
    return bitcoin.url();
  }

  /** The in-process Esplora simulator (fund, mine, reorg, faults), unless Esplora is external. */
  public Optional<EsploraSimulator> esploraSimulator() {
    return bitcoin.simulator();
  }

  /** The services started, in start order. */
  public List<RunningService> services() {
    ServiceGroup group = services;
    return group == null ? List.of() : group.snapshot().stream().map(DevStack::view).toList();
  }

  public RunningService service(String name) {
    return view(requireServices().get(name));
  }

  /** Base URL of a service, e.g. {@code http://127.0.0.1:8080} for {@code "api-gateway"}. */
  public String serviceUrl(String name) {
    return service(name).baseUrl();
  }

  /**
   * How the stack's indexer labels finality.
   *
   * @param confirmationDepth blocks below the head at which a block is CONFIRMED
   * @param finalizedDepth blocks below the head at which a block is FINALIZED
   * @param nodeFinality whether the node's {@code safe} / {@code finalized} tags are used instead
   */
  public record IndexerFinality(int confirmationDepth, int finalizedDepth, boolean nodeFinality) {}

  public IndexerFinality indexerFinality() {
    Map<String, String> tuning = ServiceEnvironment.LOCAL_TUNING.get(ServiceSpec.INDEXER.name());
    return new IndexerFinality(
        Integer.parseInt(tuning.get("RBTC_CHAIN_CONFIRMATION_DEPTH")),
        Integer.parseInt(tuning.get("RBTC_CHAIN_FINALIZED_DEPTH")),
        Boolean.parseBoolean(tuning.get("RBTC_CHAIN_NODE_FINALITY")));
  }

  // ---- fault injection for end-to-end tests ----

  /** Kills a service with SIGKILL (no graceful shutdown) and waits until it is gone. */
  public void killService(String name) {
    requireServices().kill(name);
  }

  /** Stops a service gracefully (SIGTERM, SIGKILL after 10 s). */
  public void stopService(String name) {
    requireServices().stop(name);
  }

  /**
   * Starts a stopped or killed service again, on the same port with the same environment, and waits
   * until it is ready.
   */
  public RunningService restartService(String name) {
    return view(requireServices().restart(name));
  }

  /** Kills the broker with SIGKILL; only when the stack runs the broker. */
  public void killKafka() {
    KafkaBrokerProcess broker = requireKafka();
    broker.kill();
    pids.remove(broker.pid());
  }

  /** Starts the broker again on the same ports and data after {@link #killKafka()}. */
  public void restartKafka() {
    KafkaBrokerProcess broker = requireKafka();
    if (broker.process().isAlive()) {
      throw new IllegalStateException("Kafka is still running (pid " + broker.pid() + ")");
    }
    KafkaBrokerProcess restarted = KafkaBrokerProcess.launch(kafkaConfig, this::spawned);
    kafka = restarted;
    restarted.awaitReady(KAFKA_READY_TIMEOUT);
  }

  /**
   * Kills the embedded PostgreSQL with SIGKILL (the postmaster, then whatever of its processes
   * outlive it) and waits until every one of them is gone; its data directory stays as the crash
   * left it. Only when the stack runs PostgreSQL.
   */
  public void killPostgres() {
    PostgresServer server = requireEmbeddedPostgres();
    server.kill();
    server.postmaster().ifPresent(p -> pids.remove(p.pid()));
  }

  /** Stops the embedded PostgreSQL gracefully (fast shutdown), keeping its data. */
  public void stopPostgres() {
    PostgresServer server = requireEmbeddedPostgres();
    server.close();
    server.postmaster().ifPresent(p -> pids.remove(p.pid()));
  }

  /**
   * Starts PostgreSQL again on the same port and data directory after {@link #killPostgres()} or
   * {@link #stopPostgres()}, with crash recovery where needed, and returns once it accepts
   * connections.
   */
  public void restartPostgres() {
    PostgresServer server = requireEmbeddedPostgres();
    if (server.postmaster().map(ProcessHandle::isAlive).orElse(false)) {
      throw new IllegalStateException(
          "PostgreSQL is still running (pid " + server.postmaster().get().pid() + ")");
    }
    PostgresServer restarted =
        PostgresServer.startEmbedded(server.port(), dataDir.postgres(), dataDir.log("postgres"));
    restarted.postmaster().ifPresent(p -> pids.add("postgres", p));
    postgres = restarted;
  }

  /** Whether the stack's broker process is alive. */
  public boolean kafkaRunning() {
    KafkaBrokerProcess broker = kafka;
    return broker != null && broker.process().isAlive();
  }

  /** Whether the embedded PostgreSQL's postmaster is alive. */
  public boolean postgresRunning() {
    return postgres.postmaster().map(ProcessHandle::isAlive).orElse(false);
  }

  private PostgresServer requireEmbeddedPostgres() {
    PostgresServer server = postgres;
    if (!server.isEmbedded()) {
      throw new IllegalStateException("the stack does not run PostgreSQL (external PostgreSQL)");
    }
    return server;
  }

  // ---- start-up ----

  void startAll() {
    progress.line("ReserveBTC devstack, data directory " + dataDirPath);
    dataDir = DataDirectory.open(dataDirPath);
    pids = new PidRegistry(dataDir.pidFile());
    pids.stopLeftovers(progress);
    if (options.fresh()) {
      Progress.Step step = progress.begin("wiping " + dataDirPath + " (--fresh)");
      dataDir.wipe();
      step.ok();
    }
    List<ServiceSpec> specs = options.serviceSpecs();
    if (!specs.isEmpty()) {
      Path repoRoot = RepoRoot.locate(options.repoRoot());
      String version = RepoRoot.projectVersion();
      ServiceGroup.requireJars(specs, repoRoot, version);
      services = new ServiceGroup(repoRoot, version, options, dataDir, pids, stopList, progress);
    }
    requireFixedPortsFree(specs);
    startPostgres();
    startKafka();
    createTopics();
    startChain();
    deploy();
    startBitcoin();
    if (services != null) {
      services.startAll(specs, this::endpoints);
    }
    progress.line("stack ready in " + Progress.seconds(System.nanoTime() - startNanos));
  }

  private void requireFixedPortsFree(List<ServiceSpec> specs) {
    if (options.postgresUrl().isEmpty() && options.postgresPort() != 0) {
      Ports.requireFree(options.postgresPort(), "PostgreSQL", "--postgres-port");
    }
    if (options.kafkaBootstrap().isEmpty()) {
      if (options.kafkaPort() != 0) {
        Ports.requireFree(options.kafkaPort(), "Kafka", "--kafka-port");
      }
      if (options.kafkaControllerPort() != 0) {
        Ports.requireFree(
            options.kafkaControllerPort(), "the Kafka controller", "--kafka-controller-port");
      }
    }
    if (options.rpcUrl().isEmpty() && options.anvilPort() != 0) {
      Ports.requireFree(options.anvilPort(), "Anvil", "--anvil-port");
    }
    if (options.esploraUrl().isEmpty() && options.esploraPort() != 0) {
      Ports.requireFree(options.esploraPort(), "the Esplora simulator", "--esplora-port");
    }
    for (ServiceSpec spec : specs) {
      int port = options.servicePort(spec);
      if (port != 0) {
        Ports.requireFree(port, spec.name(), spec.portFlag());
      }
    }
  }

  private void startPostgres() {
    if (options.postgresUrl().isPresent()) {
      Progress.Step step = progress.begin("checking PostgreSQL at " + options.postgresUrl().get());
      postgres =
          PostgresServer.external(
              options.postgresUrl().get(), options.postgresUser(), options.postgresPassword());
      step.ok();
      return;
    }
    Progress.Step step =
        progress.begin(
            "starting PostgreSQL"
                + portText(options.postgresPort())
                + ", data "
                + dataDir.postgres());
    PostgresServer server =
        PostgresServer.startEmbedded(
            options.postgresPort(), dataDir.postgres(), dataDir.log("postgres"));
    Optional<ProcessHandle> postmaster = server.postmaster();
    postmaster.ifPresent(p -> pids.add("postgres", p));
    postgres = server;
    stopList.register(
        "PostgreSQL",
        () -> {
          PostgresServer current = postgres;
          current.close();
          current.postmaster().ifPresent(p -> pids.remove(p.pid()));
        });
    step.ok("port " + server.port() + postmaster.map(p -> ", pid " + p.pid()).orElse(""));
  }

  private void startKafka() {
    if (options.kafkaBootstrap().isPresent()) {
      kafkaBootstrap = options.kafkaBootstrap().get();
      Progress.Step step = progress.begin("checking Kafka at " + kafkaBootstrap);
      KafkaBrokerProcess.awaitCluster(kafkaBootstrap, TOPIC_TIMEOUT, () -> {}, "");
      step.ok();
      return;
    }
    int port = Ports.resolve(options.kafkaPort());
    int controllerPort = Ports.resolve(options.kafkaControllerPort());
    while (controllerPort == port) {
      controllerPort = Ports.free();
    }
    kafkaConfig =
        new KafkaBrokerProcess.Config(
            port,
            controllerPort,
            dataDir.kafka(),
            dataDirPath.resolve("kafka-server.properties"),
            dataDir.log("kafka"),
            KAFKA_HEAP);
    Progress.Step step =
        progress.begin(
            "starting Kafka on "
                + Ports.LOOPBACK
                + ":"
                + port
                + " (controller "
                + controllerPort
                + "), log "
                + kafkaConfig.logFile());
    KafkaBrokerProcess broker = KafkaBrokerProcess.launch(kafkaConfig, this::spawned);
    kafka = broker;
    stopList.register(
        "Kafka",
        () -> {
          KafkaBrokerProcess current = kafka;
          current.close();
          pids.remove(current.pid());
        });
    broker.awaitReady(KAFKA_READY_TIMEOUT);
    kafkaBootstrap = broker.bootstrapServers();
    step.ok("pid " + broker.pid());
  }

  private void createTopics() {
    Progress.Step step = progress.begin("creating the Kafka topic catalogue");
    int created = KafkaTopics.ensure(kafkaBootstrap, TOPIC_TIMEOUT);
    int total = KafkaTopics.catalogue().size();
    step.ok(created == 0 ? "all " + total + " exist" : created + " of " + total + " created");
  }

  private void startChain() {
    if (options.rpcUrl().isPresent()) {
      Progress.Step step = progress.begin("checking the EVM node at " + options.rpcUrl().get());
      chain = LocalChain.external(options.rpcUrl().get());
      step.ok("chain " + chain.chainId());
      return;
    }
    Progress.Step step =
        progress.begin(
            "starting Anvil"
                + portText(options.anvilPort())
                + " (1 s blocks, state "
                + dataDir.anvilState()
                + ")");
    LocalChain started =
        LocalChain.startAnvil(options.anvilPort(), dataDir.anvilState(), dataDir.log("anvil"));
    AnvilNode node = started.anvil().orElseThrow();
    ProcessHandle.of(node.pid()).ifPresent(p -> pids.add("anvil", p));
    stopList.register(
        "Anvil",
        () -> {
          started.close();
          pids.remove(node.pid());
        });
    chain = started;
    step.ok("chain " + started.chainId() + ", port " + node.port() + ", pid " + node.pid());
  }

  private void deploy() {
    Progress.Step step =
        progress.begin(
            options.deploymentFile().isPresent()
                ? "checking the deployment in " + options.deploymentFile().get()
                : "deploying the protocol (or reusing " + dataDir.deployment() + ")");
    deployment = Deployments.ensure(chain, options.deploymentFile(), dataDir.deployment());
    step.ok(
        (deployment.reused() ? "reused " : "deployed, ")
            + deployment.file()
            + ", start block "
            + deployment.deployment().deploymentBlock());
    if (!deployment.note().isEmpty()) {
      progress.line("WARNING: " + deployment.note());
    }
    committeeKey = committeeKey(deployment.deployment());
    poolOracleKey = Deployments.poolOracleKey(chain, deployment.deployment()).orElse(null);
    if (poolOracleKey == null) {
      progress.line(
          "NOTE: the yield pool's oracle is not the stack's pool oracle (an older deployment?):"
              + " the yield-service sends no pool transactions and records what it would send;"
              + " start with --fresh to keep the pool in step");
    }
  }

  private static String committeeKey(ProtocolDeployment deployment) {
    if (deployment.committee().equals(Deployments.DEPLOYER_ADDRESS)) {
      return AnvilNode.DEV_ACCOUNT_0_PRIVATE_KEY;
    }
    String key = System.getenv(COMMITTEE_KEY_ENV);
    if (key == null || key.isBlank()) {
      throw new DevStackException(
          "the deployment's committee is "
              + deployment.committee()
              + ", not a development account; set "
              + COMMITTEE_KEY_ENV
              + " to its private key for the oracle");
    }
    return key.trim();
  }

  private void startBitcoin() {
    if (options.esploraUrl().isPresent()) {
      Progress.Step step = progress.begin("checking Esplora at " + options.esploraUrl().get());
      bitcoin = BitcoinSource.external(options.esploraUrl().get());
      step.ok();
      return;
    }
    Progress.Step step =
        progress.begin(
            "starting the Esplora simulator (regtest)"
                + portText(options.esploraPort())
                + ", state "
                + dataDir.bitcoinState());
    BitcoinSource source =
        BitcoinSource.startSimulator(options.esploraPort(), dataDir.bitcoinState());
    stopList.register("the Esplora simulator", source::close);
    bitcoin = source;
    step.ok(source.url());
  }

  private ServiceEnvironment.Endpoints endpoints() {
    ProtocolDeployment d = deployment.deployment();
    return new ServiceEnvironment.Endpoints(
        kafkaBootstrap,
        postgres.jdbcUrl(),
        postgres.user(),
        postgres.password(),
        chain.rpcUrl(),
        chain.chainId(),
        new ServiceEnvironment.ContractAddresses(
            d.oracleAggregator(),
            d.synth(),
            d.feeVault(),
            d.feePolicy(),
            d.wrbtc(),
            d.yieldPool(),
            d.deploymentBlock()),
        bitcoin.url(),
        committeeKey,
        poolOracleKey);
  }

  // ---- shutdown ----

  /**
   * Stops everything this stack started: services (in parallel), then the Esplora simulator, Anvil,
   * Kafka and PostgreSQL, each by PID, and releases the data directory. Idempotent.
   *
   * @throws DevStackException after trying everything, if something did not stop cleanly
   */
  @Override
  public void close() {
    if (!stopList.close()) {
      return;
    }
    closing = true;
    List<RuntimeException> failures = new ArrayList<>();
    ServiceGroup group = services;
    if (group != null) {
      try {
        group.stopAll();
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
    failures.addAll(stopList.stopAll(progress));
    if (pids != null && failures.isEmpty()) {
      pids.clear();
    }
    if (dataDir != null) {
      dataDir.close();
    }
    progress.line("stopped");
    if (!failures.isEmpty()) {
      DevStackException failure =
          new DevStackException(
              "some components did not stop cleanly; see the lines above", failures.get(0));
      failures.stream().skip(1).forEach(failure::addSuppressed);
      throw failure;
    }
  }

  void closeQuietly() {
    try {
      close();
    } catch (RuntimeException e) {
      progress.line("shutdown: " + describe(e));
    }
  }

  boolean isClosing() {
    return closing;
  }

  Progress progress() {
    return progress;
  }

  /** Prints a warning when a service or the broker dies while the stack runs. */
  void reportUnexpectedExits() {
    List<ChildProcess> watched = new ArrayList<>();
    if (services != null) {
      services.snapshot().forEach(s -> watched.add(s.process()));
    }
    if (kafka != null) {
      watched.add(kafka.process());
    }
    for (ChildProcess child : watched) {
      child
          .handle()
          .onExit()
          .thenRun(
              () -> {
                if (!closing) {
                  progress.line(
                      "WARNING: "
                          + child.name()
                          + " (pid "
                          + child.pid()
                          + ") exited unexpectedly; see "
                          + child.logFile());
                }
              });
    }
  }

  // ---- helpers ----

  private void spawned(ChildProcess child) {
    stopList.child(child);
    pids.add(child.name(), child.handle());
  }

  private ServiceGroup requireServices() {
    ServiceGroup group = services;
    if (group == null) {
      throw new IllegalArgumentException("the stack runs no services");
    }
    return group;
  }

  private KafkaBrokerProcess requireKafka() {
    KafkaBrokerProcess broker = kafka;
    if (broker == null) {
      throw new IllegalStateException("the stack does not run the Kafka broker (external Kafka)");
    }
    return broker;
  }

  boolean runsKafka() {
    return kafka != null;
  }

  /** PID of the broker process, if the stack runs the broker. */
  public Optional<Long> kafkaPid() {
    return Optional.ofNullable(kafka).map(KafkaBrokerProcess::pid);
  }

  /** PID of the embedded PostgreSQL's postmaster. */
  public Optional<Long> postgresPid() {
    return postgres.postmaster().map(ProcessHandle::pid);
  }

  private static RunningService view(ServiceProcess s) {
    return new RunningService(
        s.name(), s.port(), s.baseUrl(), s.process().pid(), s.process().logFile());
  }

  private static String portText(int port) {
    return port == 0 ? " on a free port" : " on port " + port;
  }

  static String describe(Throwable e) {
    StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
        text.append("\n  caused by: ").append(cause);
      }
    }
    return text.toString();
  }
}
