package com.reservebtc.devstack;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the launcher can be told. Build with {@link #builder()}; every value has a default
 * that runs the whole stack on its documented local ports.
 *
 * <p>A port of 0 means "pick a free loopback port"; {@link Builder#freePorts()} sets every port to
 * 0, which is what tests use so that they never pin host ports. An external component (PostgreSQL,
 * Kafka, chain, Esplora) given by URL replaces the one the launcher would start, and its port
 * setting is then ignored.
 *
 * @param dataDir where state and logs live; empty = {@code .devstack} in the repository root
 * @param repoRoot the repository checkout (for the service jars); empty = found by walking up from
 *     the working directory
 * @param fresh wipe the data directory before starting
 * @param postgresPort embedded PostgreSQL port
 * @param kafkaPort broker client (PLAINTEXT) port
 * @param kafkaControllerPort broker KRaft controller port
 * @param anvilPort Anvil JSON-RPC port
 * @param esploraPort Esplora simulator port
 * @param servicePorts HTTP port per service name; a service not in the map uses its default port
 * @param postgresUrl an external PostgreSQL (JDBC URL) instead of the embedded one
 * @param postgresUser user for the external PostgreSQL (the embedded one accepts any)
 * @param postgresPassword password for the external PostgreSQL
 * @param kafkaBootstrap an external Kafka ({@code host:port,...}) instead of the child broker
 * @param rpcUrl an external EVM JSON-RPC endpoint instead of Anvil
 * @param deploymentFile an existing deployment to use instead of deploying (or reusing the one in
 *     the data directory)
 * @param esploraUrl an external Esplora API instead of the simulator
 * @param services names of the services to start, in order; empty starts none
 * @param serviceTimeout how long each service may take to become ready
 * @param serviceJavaOptions JVM options of every service process: any option that is not a system
 *     property replaces each service's default heap, collector and compiler options ({@code
 *     ServiceJvm}); system properties alone are added to the defaults
 * @param progress where progress lines go
 */
public record DevStackOptions(
    Optional<Path> dataDir,
    Optional<Path> repoRoot,
    boolean fresh,
    int postgresPort,
    int kafkaPort,
    int kafkaControllerPort,
    int anvilPort,
    int esploraPort,
    Map<String, Integer> servicePorts,
    Optional<String> postgresUrl,
    String postgresUser,
    String postgresPassword,
    Optional<String> kafkaBootstrap,
    Optional<String> rpcUrl,
    Optional<Path> deploymentFile,
    Optional<String> esploraUrl,
    List<String> services,
    Duration serviceTimeout,
    List<String> serviceJavaOptions,
    PrintStream progress) {

  public static final int DEFAULT_POSTGRES_PORT = 15432;
  public static final int DEFAULT_KAFKA_PORT = 19092;
  public static final int DEFAULT_KAFKA_CONTROLLER_PORT = 19093;
  public static final int DEFAULT_ANVIL_PORT = 18545;
  public static final int DEFAULT_ESPLORA_PORT = 13002;
  public static final Duration DEFAULT_SERVICE_TIMEOUT = Duration.ofSeconds(120);

  public DevStackOptions {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(repoRoot, "repoRoot");
    Objects.requireNonNull(postgresUrl, "postgresUrl");
    Objects.requireNonNull(postgresUser, "postgresUser");
    Objects.requireNonNull(postgresPassword, "postgresPassword");
    Objects.requireNonNull(kafkaBootstrap, "kafkaBootstrap");
    Objects.requireNonNull(rpcUrl, "rpcUrl");
    Objects.requireNonNull(deploymentFile, "deploymentFile");
    Objects.requireNonNull(esploraUrl, "esploraUrl");
    Objects.requireNonNull(serviceTimeout, "serviceTimeout");
    serviceJavaOptions = List.copyOf(serviceJavaOptions);
    Objects.requireNonNull(progress, "progress");
    for (int port : List.of(postgresPort, kafkaPort, kafkaControllerPort, anvilPort, esploraPort)) {
      requirePort(port);
    }
    servicePorts = Map.copyOf(servicePorts);
    servicePorts.forEach(
        (name, port) -> {
          requireService(name);
          requirePort(port);
        });
    services = List.copyOf(services);
    services.forEach(DevStackOptions::requireService);
    if (services.stream().distinct().count() != services.size()) {
      throw new IllegalArgumentException("a service is listed twice: " + services);
    }
    if (serviceTimeout.isNegative() || serviceTimeout.isZero()) {
      throw new IllegalArgumentException("serviceTimeout must be positive, was " + serviceTimeout);
    }
    if (!kafkaBootstrap.isPresent() && kafkaPort != 0 && kafkaPort == kafkaControllerPort) {
      throw new IllegalArgumentException(
          "the Kafka client and controller ports must differ, both are " + kafkaPort);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The whole stack on its default ports. */
  public static DevStackOptions defaults() {
    return builder().build();
  }

  /** The HTTP port configured for a service (0 = free port). */
  public int servicePort(ServiceSpec service) {
    return servicePorts.getOrDefault(service.name(), service.defaultPort());
  }

  /** The services to start, in order. */
  public List<ServiceSpec> serviceSpecs() {
    return services.stream().map(n -> ServiceSpec.byName(n).orElseThrow()).toList();
  }

  @Override
  public String toString() {
    // the external database password must not end up in a log
    return "DevStackOptions[dataDir="
        + dataDir
        + ", repoRoot="
        + repoRoot
        + ", fresh="
        + fresh
        + ", postgresPort="
        + postgresPort
        + ", kafkaPort="
        + kafkaPort
        + ", kafkaControllerPort="
        + kafkaControllerPort
        + ", anvilPort="
        + anvilPort
        + ", esploraPort="
        + esploraPort
        + ", servicePorts="
        + servicePorts
        + ", postgresUrl="
        + postgresUrl
        + ", postgresUser="
        + postgresUser
        + ", kafkaBootstrap="
        + kafkaBootstrap
        + ", rpcUrl="
        + rpcUrl
        + ", deploymentFile="
        + deploymentFile
        + ", esploraUrl="
        + esploraUrl
        + ", services="
        + services
        + ", serviceTimeout="
        + serviceTimeout
        + ", serviceJavaOptions="
        + serviceJavaOptions
        + "]";
  }

  private static void requirePort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(
          "a port must be 0..65535 (0 = any free port), was " + port);
    }
  }

  private static void requireService(String name) {
    if (ServiceSpec.byName(name).isEmpty()) {
      throw new IllegalArgumentException(
          "unknown service "
              + name
              + "; known: "
              + ServiceSpec.known().stream().map(ServiceSpec::name).toList());
    }
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private Path dataDir;
    private Path repoRoot;
    private boolean fresh;
    private int postgresPort = DEFAULT_POSTGRES_PORT;
    private int kafkaPort = DEFAULT_KAFKA_PORT;
    private int kafkaControllerPort = DEFAULT_KAFKA_CONTROLLER_PORT;
    private int anvilPort = DEFAULT_ANVIL_PORT;
    private int esploraPort = DEFAULT_ESPLORA_PORT;
    private final Map<String, Integer> servicePorts = new LinkedHashMap<>();
    private String postgresUrl;
    private String postgresUser = PostgresServer.DEFAULT_USER;
    private String postgresPassword = PostgresServer.DEFAULT_PASSWORD;
    private String kafkaBootstrap;
    private String rpcUrl;
    private Path deploymentFile;
    private String esploraUrl;
    private List<String> services = ServiceSpec.all().stream().map(ServiceSpec::name).toList();
    private Duration serviceTimeout = DEFAULT_SERVICE_TIMEOUT;
    private List<String> serviceJavaOptions = List.of();
    private PrintStream progress = System.out;

    private Builder() {}

    public Builder dataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    public Builder repoRoot(Path repoRoot) {
      this.repoRoot = repoRoot;
      return this;
    }

    public Builder fresh(boolean fresh) {
      this.fresh = fresh;
      return this;
    }

    /** Every port (infrastructure and services) picked free at start; for tests. */
    public Builder freePorts() {
      postgresPort = 0;
      kafkaPort = 0;
      kafkaControllerPort = 0;
      anvilPort = 0;
      esploraPort = 0;
      ServiceSpec.known().forEach(s -> servicePorts.put(s.name(), 0));
      return this;
    }

    public Builder postgresPort(int port) {
      this.postgresPort = port;
      return this;
    }

    public Builder kafkaPort(int port) {
      this.kafkaPort = port;
      return this;
    }

    public Builder kafkaControllerPort(int port) {
      this.kafkaControllerPort = port;
      return this;
    }

    public Builder anvilPort(int port) {
      this.anvilPort = port;
      return this;
    }

    public Builder esploraPort(int port) {
      this.esploraPort = port;
      return this;
    }

    public Builder servicePort(String service, int port) {
      this.servicePorts.put(service, port);
      return this;
    }

    public Builder postgresUrl(String jdbcUrl) {
      this.postgresUrl = jdbcUrl;
      return this;
    }

    public Builder postgresUser(String user) {
      this.postgresUser = user;
      return this;
    }

    public Builder postgresPassword(String password) {
      this.postgresPassword = password;
      return this;
    }

    public Builder kafkaBootstrap(String bootstrapServers) {
      this.kafkaBootstrap = bootstrapServers;
      return this;
    }

    public Builder rpcUrl(String rpcUrl) {
      this.rpcUrl = rpcUrl;
      return this;
    }

    public Builder deploymentFile(Path deploymentFile) {
      this.deploymentFile = deploymentFile;
      return this;
    }

    public Builder esploraUrl(String esploraUrl) {
      this.esploraUrl = esploraUrl;
      return this;
    }

    /** The services to start, by name, in order ({@link ServiceSpec#all()} by default). */
    public Builder services(List<String> names) {
      this.services = List.copyOf(names);
      return this;
    }

    /** Start only the infrastructure (database, broker, chain, Bitcoin simulator). */
    public Builder noServices() {
      this.services = List.of();
      return this;
    }

    public Builder serviceTimeout(Duration timeout) {
      this.serviceTimeout = timeout;
      return this;
    }

    /** JVM options of the service processes, e.g. {@code List.of("-Xmx512m")}. */
    public Builder serviceJavaOptions(List<String> options) {
      this.serviceJavaOptions = List.copyOf(options);
      return this;
    }

    public Builder progress(PrintStream progress) {
      this.progress = progress;
      return this;
    }

    public DevStackOptions build() {
      return new DevStackOptions(
          Optional.ofNullable(dataDir),
          Optional.ofNullable(repoRoot),
          fresh,
          postgresPort,
          kafkaPort,
          kafkaControllerPort,
          anvilPort,
          esploraPort,
          servicePorts,
          Optional.ofNullable(postgresUrl),
          postgresUser,
          postgresPassword,
          Optional.ofNullable(kafkaBootstrap),
          Optional.ofNullable(rpcUrl),
          Optional.ofNullable(deploymentFile),
          Optional.ofNullable(esploraUrl),
          services,
          serviceTimeout,
          serviceJavaOptions,
          progress);
    }
  }
}
