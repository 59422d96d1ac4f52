package com.reservebtc.devstack;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One service of the stack: the one place where a service is added to or removed from the local
 * stack.
 *
 * @param name the service's name in the stack (flags, logs, the summary); the module's name except
 *     for an additional replica
 * @param module the Maven module and artifact id whose jar runs
 * @param defaultPort the HTTP port used when no port is configured
 * @param schema the PostgreSQL schema the service owns
 * @param holdsCommitteeKey whether the service signs transactions with the oracle committee key
 *     (only the oracle: it alone owns the key and its nonces)
 */
public record ServiceSpec(
    String name, String module, int defaultPort, String schema, boolean holdsCommitteeKey) {

  public static final ServiceSpec API_GATEWAY = service("api-gateway", 8080, "gateway", false);
  public static final ServiceSpec INDEXER = service("indexer-service", 8081, "indexer", false);
  public static final ServiceSpec ORACLE = service("oracle-service", 8082, "oracle", true);
  public static final ServiceSpec EMERGENCY_BURN =
      service("emergency-burn-service", 8083, "emergency", false);
  public static final ServiceSpec YIELD = service("yield-service", 8084, "yield", false);

  /**
   * A second api-gateway replica (same jar, schema and consumer group), started only when named in
   * {@code --services}: two replicas share the projected topics' partitions, as behind a load
   * balancer.
   */
  public static final ServiceSpec API_GATEWAY_2 =
      new ServiceSpec("api-gateway-2", "api-gateway", 8085, "gateway", false);

  private static final List<ServiceSpec> ALL =
      List.of(API_GATEWAY, INDEXER, ORACLE, EMERGENCY_BURN, YIELD);

  private static final List<ServiceSpec> KNOWN =
      List.of(API_GATEWAY, API_GATEWAY_2, INDEXER, ORACLE, EMERGENCY_BURN, YIELD);

  private static ServiceSpec service(
      String name, int defaultPort, String schema, boolean holdsCommitteeKey) {
    return new ServiceSpec(name, name, defaultPort, schema, holdsCommitteeKey);
  }

  /** Every service of the stack, in start order: what {@code --services all} starts. */
  public static List<ServiceSpec> all() {
    return ALL;
  }

  /** Every service the launcher can start, including additional replicas. */
  public static List<ServiceSpec> known() {
    return KNOWN;
  }

  public static Optional<ServiceSpec> byName(String name) {
    return KNOWN.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** Whether this is an api-gateway (the first or another replica). */
  boolean isGateway() {
    return module.equals(API_GATEWAY.module());
  }

  /**
   * The executable jar {@code mvn install} builds: {@code <repo>/<module>/target/<module>-<v>.jar}.
   */
  Path jar(Path repoRoot, String version) {
    return repoRoot.resolve(module).resolve("target").resolve(module + "-" + version + ".jar");
  }

  /** The flag that sets this service's port, e.g. {@code --api-gateway-port}. */
  String portFlag() {
    return "--" + name + "-port";
  }
}
