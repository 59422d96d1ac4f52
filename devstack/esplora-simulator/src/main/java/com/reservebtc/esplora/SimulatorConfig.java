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
 */
public record SimulatorConfig(
    String bindAddress, int port, Network network, Path stateFile, int httpThreads, Clock clock) {

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
    return new SimulatorConfig("127.0.0.1", 0, Network.REGTEST, null, 8, Clock.systemUTC());
  }

  public SimulatorConfig withPort(int newPort) {
    return new SimulatorConfig(bindAddress, newPort, network, stateFile, httpThreads, clock);
  }

  public SimulatorConfig withBindAddress(String newBindAddress) {
    return new SimulatorConfig(newBindAddress, port, network, stateFile, httpThreads, clock);
  }

  public SimulatorConfig withNetwork(Network newNetwork) {
    return new SimulatorConfig(bindAddress, port, newNetwork, stateFile, httpThreads, clock);
  }

  public SimulatorConfig withStateFile(Path newStateFile) {
    return new SimulatorConfig(bindAddress, port, network, newStateFile, httpThreads, clock);
  }

  public SimulatorConfig withHttpThreads(int newHttpThreads) {
    return new SimulatorConfig(bindAddress, port, network, stateFile, newHttpThreads, clock);
  }

  public SimulatorConfig withClock(Clock newClock) {
    return new SimulatorConfig(bindAddress, port, network, stateFile, httpThreads, newClock);
  }
}
