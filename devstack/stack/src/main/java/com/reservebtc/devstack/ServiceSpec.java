package com.reservebtc.devstack;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One service of the stack: the one place where a service is added to or removed from the local
 * stack.
 *
 * @param name the Maven module and artifact id; also the log file name
 * @param defaultPort the HTTP port used when no port is configured
 * @param schema the PostgreSQL schema the service owns
 * @param holdsCommitteeKey whether the service signs transactions with the oracle committee key
 *     (only the oracle: it alone owns the key and its nonces)
 */
public record ServiceSpec(String name, int defaultPort, String schema, boolean holdsCommitteeKey) {

  public static final ServiceSpec API_GATEWAY =
      new ServiceSpec("api-gateway", 8080, "gateway", false);
  public static final ServiceSpec INDEXER =
      new ServiceSpec("indexer-service", 8081, "indexer", false);
  public static final ServiceSpec ORACLE = new ServiceSpec("oracle-service", 8082, "oracle", true);
  public static final ServiceSpec EMERGENCY_BURN =
      new ServiceSpec("emergency-burn-service", 8083, "emergency", false);
  public static final ServiceSpec YIELD = new ServiceSpec("yield-service", 8084, "yield", false);

  private static final List<ServiceSpec> ALL =
      List.of(API_GATEWAY, INDEXER, ORACLE, EMERGENCY_BURN, YIELD);

  /** Every service of the stack, in start order. */
  public static List<ServiceSpec> all() {
    return ALL;
  }

  public static Optional<ServiceSpec> byName(String name) {
    return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** The executable jar {@code mvn install} builds: {@code <repo>/<name>/target/<name>-<v>.jar}. */
  Path jar(Path repoRoot, String version) {
    return repoRoot.resolve(name).resolve("target").resolve(name + "-" + version + ".jar");
  }

  /** The flag that sets this service's port, e.g. {@code --api-gateway-port}. */
  String portFlag() {
    return "--" + name + "-port";
  }
}
