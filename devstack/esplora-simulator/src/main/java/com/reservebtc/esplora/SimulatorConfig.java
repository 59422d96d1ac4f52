package com.reservebtc.esplora;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * How an {@link EsploraSimulator} listens and what it simulates.
 *
 * @param bindAddress interface to listen on; loopback by default because the dev controls are
 *     unauthenticated
 * @param port TCP port; {@code 0} picks a free one (what tests should use)
 * @param network address format and genesis block; {@link Network#REGTEST} by default
 * @param stateFile where the whole chain is saved after every change and loaded from on start;
 *     {@code null} keeps the chain in memory only
 * @param httpThreads size of the fixed pool serving requests
 * @param clock source of block timestamps
 * @param access how a paid provider guards its Esplora endpoints (an API key in the path, HTTP
 *     basic credentials), or {@code null} for none; the dev controls are never guarded
 */
public record SimulatorConfig(
    String bindAddress,
    int port,
    Network network,
    Path stateFile,
    int httpThreads,
    Clock clock,
    Access access) {

  /** The port the standalone simulator uses unless told otherwise (the local stack's default). */
  public static final int DEFAULT_STANDALONE_PORT = 13002;

  public SimulatorConfig {
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(clock, "clock");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
    if (httpThreads < 1 || httpThreads > 256) {
      throw new IllegalArgumentException("httpThreads must be 1..256, was " + httpThreads);
    }
  }

  /** Loopback, a free port, regtest, in memory only, 8 HTTP threads, the system clock. */
  public static SimulatorConfig defaults() {
    return new SimulatorConfig("127.0.0.1", 0, Network.REGTEST, null, 8, Clock.systemUTC(), null);
  }

  public SimulatorConfig withPort(int newPort) {
    return new SimulatorConfig(
        bindAddress, newPort, network, stateFile, httpThreads, clock, access);
  }

  public SimulatorConfig withBindAddress(String newBindAddress) {
    return new SimulatorConfig(
        newBindAddress, port, network, stateFile, httpThreads, clock, access);
  }

  public SimulatorConfig withNetwork(Network newNetwork) {
    return new SimulatorConfig(
        bindAddress, port, newNetwork, stateFile, httpThreads, clock, access);
  }

  public SimulatorConfig withStateFile(Path newStateFile) {
    return new SimulatorConfig(
        bindAddress, port, network, newStateFile, httpThreads, clock, access);
  }

  public SimulatorConfig withHttpThreads(int newHttpThreads) {
    return new SimulatorConfig(
        bindAddress, port, network, stateFile, newHttpThreads, clock, access);
  }

  public SimulatorConfig withClock(Clock newClock) {
    return new SimulatorConfig(
        bindAddress, port, network, stateFile, httpThreads, newClock, access);
  }

  /**
   * Serves the Esplora endpoints only under {@code /<pathKey>/...} and only to requests with these
   * basic credentials, like a paid provider whose URL is {@code http://user:password@host/key}.
   */
  public SimulatorConfig withAccess(String pathKey, String user, String password) {
    return new SimulatorConfig(
        bindAddress,
        port,
        network,
        stateFile,
        httpThreads,
        clock,
        new Access(pathKey, user, password));
  }

  /**
   * @param pathKey the first path segment every Esplora request must start with
   * @param user basic-auth user every Esplora request must carry
   * @param password its password
   */
  public record Access(String pathKey, String user, String password) {
    public Access {
      Objects.requireNonNull(pathKey, "pathKey");
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(password, "password");
    }
  }
}
