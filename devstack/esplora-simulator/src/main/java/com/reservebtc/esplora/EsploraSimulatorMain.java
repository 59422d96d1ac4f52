package com.reservebtc.esplora;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the simulator as a process: {@code java -jar esplora-simulator-exec.jar [--port 13002]
 * [--network regtest] [--state-file path] [--bind 127.0.0.1] [--threads 8]}. Stops cleanly on
 * SIGTERM / Ctrl-C.
 */
public final class EsploraSimulatorMain {
  private EsploraSimulatorMain() {}

  public static void main(String[] args) throws InterruptedException {
    SimulatorConfig config;
    try {
      config = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("esplora-simulator: " + e.getMessage());
      System.err.println(usage());
      System.exit(2);
      return;
    }
    if (config == null) {
      System.out.println(usage());
      return;
    }
    EsploraSimulator simulator = new EsploraSimulator(config).start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  simulator.close();
                  stopped.countDown();
                },
                "esplora-shutdown"));
    System.out.println("Esplora simulator listening on " + simulator.baseUrl());
    stopped.await();
  }

  /** The configuration the arguments describe, or {@code null} when help was asked for. */
  static SimulatorConfig parse(String[] args) {
    SimulatorConfig config =
        SimulatorConfig.defaults().withPort(SimulatorConfig.DEFAULT_STANDALONE_PORT);
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (name.equals("--help") || name.equals("-h")) {
        return null;
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(name + " needs a value");
        }
        value = args[++i];
      }
      config =
          switch (name) {
            case "--port" -> config.withPort(parseInt(name, value));
            case "--network" -> config.withNetwork(Network.parse(value));
            case "--state-file" -> config.withStateFile(Path.of(value));
            case "--bind" -> config.withBindAddress(value);
            case "--threads" -> config.withHttpThreads(parseInt(name, value));
            default -> throw new IllegalArgumentException("unknown option " + name);
          };
    }
    return config;
  }

  private static int parseInt(String name, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, was '" + value + "'");
    }
  }

  private static String usage() {
    return "usage: esplora-simulator [--port 13002] [--network regtest|testnet|signet|mainnet]"
        + " [--state-file FILE] [--bind 127.0.0.1] [--threads 8]";
  }
}
