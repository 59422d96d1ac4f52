package com.reservebtc.contracts.anvil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local Anvil EVM node, started as a child process listening on 127.0.0.1 only.
 *
 * <p>Guarantees: when {@link Builder#start()} returns, the node answers {@code eth_chainId} on
 * {@link #rpcUrl()}. {@link #close()} stops exactly the process this instance started (by its PID,
 * SIGTERM first so that a {@code --state} file is written, then a forced kill) and waits for it to
 * exit; a JVM shutdown hook does the same if the JVM exits without {@code close()}. A port picked
 * as free can be taken by someone else before Anvil binds it; start-up then retries on another free
 * port.
 *
 * <p>Does not guarantee anything about the chain's contents: without a state file every start is a
 * fresh chain whose accounts are Anvil's well-known development accounts.
 */
public final class AnvilNode implements AutoCloseable {

  /** DEV ONLY — Anvil's default account 0 (deployer and committee of the local stack). */
  public static final String DEV_ACCOUNT_0_ADDRESS = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";

  /**
   * DEV ONLY — publicly known private key of {@link #DEV_ACCOUNT_0_ADDRESS}; never use on a real
   * chain.
   */
  public static final String DEV_ACCOUNT_0_PRIVATE_KEY =
      "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

  /** DEV ONLY — Anvil's default account 1. */
  public static final String DEV_ACCOUNT_1_ADDRESS = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";

  /**
   * DEV ONLY — publicly known private key of {@link #DEV_ACCOUNT_1_ADDRESS}; never use on a real
   * chain.
   */
  public static final String DEV_ACCOUNT_1_PRIVATE_KEY =
      "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

  /** DEV ONLY — Anvil's default account 2. */
  public static final String DEV_ACCOUNT_2_ADDRESS = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";

  /**
   * DEV ONLY — publicly known private key of {@link #DEV_ACCOUNT_2_ADDRESS}; never use on a real
   * chain.
   */
  public static final String DEV_ACCOUNT_2_PRIVATE_KEY =
      "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";

  /** DEV ONLY — Anvil's default account 3 (the yield pool's oracle in the local stack). */
  public static final String DEV_ACCOUNT_3_ADDRESS = "0x90f79bf6eb2c4f870365e785982e1f101e93b906";

  /**
   * DEV ONLY — publicly known private key of {@link #DEV_ACCOUNT_3_ADDRESS}; never use on a real
   * chain.
   */
  public static final String DEV_ACCOUNT_3_PRIVATE_KEY =
      "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6";

  /** System property naming the Anvil binary; checked first. */
  public static final String BINARY_PROPERTY = "rbtc.anvil.binary";

  /** Environment variable naming the Anvil binary; checked second. */
  public static final String BINARY_ENV = "RBTC_ANVIL_BINARY";

  /** System property naming the contracts module's node_modules directory; checked third. */
  public static final String NODE_MODULES_PROPERTY = "rbtc.node-modules";

  static final String BINARY_IN_NODE_MODULES = "@foundry-rs/anvil-linux-amd64/bin/anvil";

  private static final String HOST = "127.0.0.1";
  private static final int PORT_ATTEMPTS = 3;
  private static final Duration POLL_INTERVAL = Duration.ofMillis(25);
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);
  private static final Pattern RESULT = Pattern.compile("\"result\"\\s*:\\s*\"(0x[0-9a-fA-F]+)\"");
  private static final String INSTALL_HINT =
      "Install the pinned toolchain with `npm ci` in the contracts module"
          + " (or build it: `mvn -pl contracts generate-sources`), or point -D"
          + BINARY_PROPERTY
          + " / "
          + BINARY_ENV
          + " at an Anvil binary.";
  private static final Logger log = LoggerFactory.getLogger(AnvilNode.class);

  private final Process process;
  private final int port;
  private final long chainId;
  private final Path logFile;
  private final boolean deleteLogOnClose;
  private final Thread shutdownHook;
  private boolean closed;

  private AnvilNode(
      Process process, int port, long chainId, Path logFile, boolean deleteLogOnClose) {
    this.process = process;
    this.port = port;
    this.chainId = chainId;
    this.logFile = logFile;
    this.deleteLogOnClose = deleteLogOnClose;
    this.shutdownHook = new Thread(this::stopProcess, "anvil-" + process.pid() + "-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts a fresh node on a free port with default settings (instant mining). */
  public static AnvilNode start() {
    return builder().start();
  }

  /**
   * Finds the Anvil binary: system property {@value #BINARY_PROPERTY}, env {@value #BINARY_ENV},
   * system property {@value #NODE_MODULES_PROPERTY} + {@value #BINARY_IN_NODE_MODULES}, then {@code
   * contracts/node_modules/...} in the working directory or any of its parents.
   *
   * @throws IllegalStateException naming every place looked at and how to install the binary
   */
  public static Path locateBinary() {
    return locateBinary(System::getProperty, System::getenv, Path.of("").toAbsolutePath());
  }

  static Path locateBinary(
      Function<String, String> properties, Function<String, String> environment, Path workingDir) {
    List<String> looked = new ArrayList<>();
    Optional<Path> explicit =
        configured(properties.apply(BINARY_PROPERTY), "-D" + BINARY_PROPERTY, looked)
            .or(() -> configured(environment.apply(BINARY_ENV), BINARY_ENV, looked));
    if (explicit.isPresent()) {
      // An explicitly configured binary that is missing is an error, not a reason to look
      // elsewhere.
      return requireExecutable(explicit.get(), looked);
    }
    String nodeModules = properties.apply(NODE_MODULES_PROPERTY);
    if (nodeModules != null && !nodeModules.isBlank()) {
      Path candidate = Path.of(nodeModules).resolve(BINARY_IN_NODE_MODULES);
      looked.add(candidate + " (-D" + NODE_MODULES_PROPERTY + ")");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    for (Path dir = workingDir; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("contracts/node_modules").resolve(BINARY_IN_NODE_MODULES);
      looked.add(candidate.toString());
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "Anvil binary not found; looked at " + String.join(", ", looked) + ". " + INSTALL_HINT);
  }

  private static Optional<Path> configured(String value, String source, List<String> looked) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    looked.add(value + " (" + source + ")");
    return Optional.of(Path.of(value));
  }

  private static Path requireExecutable(Path binary, List<String> looked) {
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          "Configured Anvil binary is missing or not executable: "
              + String.join(", ", looked)
              + ". "
              + INSTALL_HINT);
    }
    return binary;
  }

  /** JSON-RPC over HTTP endpoint, e.g. {@code http://127.0.0.1:43127}. */
  public String rpcUrl() {
    return "http://" + HOST + ":" + port;
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  /** The chain id the node reported when it became ready. */
  public long chainId() {
    return chainId;
  }

  /** Where Anvil's own output goes (deleted on close unless the builder was given a log file). */
  public Path logFile() {
    return logFile;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Stops the node (SIGTERM, then a forced kill after 10 s) and waits for it to exit. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException jvmAlreadyShuttingDown) {
      // The hook is running or will run; stopping twice is harmless.
    }
    stopProcess();
    if (deleteLogOnClose) {
      try {
        Files.deleteIfExists(logFile);
      } catch (IOException e) {
        log.warn("Could not delete Anvil log file {}: {}", logFile, e.toString());
      }
    }
    log.info("Anvil stopped (pid {}, port {})", process.pid(), port);
  }

  private void stopProcess() {
    process.destroy();
    try {
      if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "AnvilNode[pid=" + process.pid() + ", rpcUrl=" + rpcUrl() + "]";
  }

  /** Options for one Anvil process; every option maps to one Anvil command-line flag. */
  public static final class Builder {
    private int port;
    private Duration blockTime;
    private Path stateFile;
    private Long chainId;
    private Integer slotsInAnEpoch;
    private Path binary;
    private Path logFile;
    private Duration startupTimeout = Duration.ofSeconds(30);

    private Builder() {}

    /** Port to listen on; 0 (the default) picks a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /** Mine a block every {@code blockTime} (millisecond precision); unset = mine on every tx. */
    public Builder blockTime(Duration blockTime) {
      Objects.requireNonNull(blockTime, "blockTime");
      if (blockTime.toMillis() <= 0) {
        throw new IllegalArgumentException("blockTime must be at least 1 ms, was " + blockTime);
      }
      this.blockTime = blockTime;
      return this;
    }

    /** Load the chain from this file if it exists and write it back on a graceful stop. */
    public Builder stateFile(Path stateFile) {
      this.stateFile = Objects.requireNonNull(stateFile, "stateFile");
      return this;
    }

    public Builder chainId(long chainId) {
      if (chainId <= 0) {
        throw new IllegalArgumentException("chainId must be positive, was " + chainId);
      }
      this.chainId = chainId;
      return this;
    }

    /**
     * Slots per epoch ({@code --slots-in-an-epoch}); Anvil answers the {@code safe} block tag one
     * epoch and {@code finalized} two epochs below the head (default 32: 32 and 64 blocks).
     */
    public Builder slotsInAnEpoch(int slots) {
      if (slots < 1) {
        throw new IllegalArgumentException("slotsInAnEpoch must be >= 1, was " + slots);
      }
      this.slotsInAnEpoch = slots;
      return this;
    }

    /** Use this binary instead of looking one up with {@link AnvilNode#locateBinary()}. */
    public Builder binary(Path binary) {
      this.binary = Objects.requireNonNull(binary, "binary");
      return this;
    }

    /** Append Anvil's output to this file (kept after close); default: a temporary file. */
    public Builder logFile(Path logFile) {
      this.logFile = Objects.requireNonNull(logFile, "logFile");
      return this;
    }

    public Builder startupTimeout(Duration startupTimeout) {
      Objects.requireNonNull(startupTimeout, "startupTimeout");
      if (startupTimeout.isNegative() || startupTimeout.isZero()) {
        throw new IllegalArgumentException("startupTimeout must be positive");
      }
      this.startupTimeout = startupTimeout;
      return this;
    }

    /**
     * Starts the process and waits until it answers {@code eth_chainId}.
     *
     * @throws IllegalStateException if the binary is missing, the process exits early or the node
     *     does not answer within the start-up timeout (the message includes Anvil's last output)
     */
    public AnvilNode start() {
      Path executable =
          binary != null ? requireExecutable(binary, List.of(binary.toString())) : locateBinary();
      int attempts = port == 0 ? PORT_ATTEMPTS : 1;
      IllegalStateException last = null;
      for (int attempt = 1; attempt <= attempts; attempt++) {
        int chosenPort = port == 0 ? freePort() : port;
        try {
          return startOn(executable, chosenPort);
        } catch (PortTakenException e) {
          last = e;
          log.info("Anvil could not bind port {}; retrying on another free port", chosenPort);
        }
      }
      throw last;
    }

    private AnvilNode startOn(Path executable, int chosenPort) {
      List<String> command = new ArrayList<>();
      command.add(executable.toString());
      command.addAll(List.of("--host", HOST, "--port", Integer.toString(chosenPort)));
      if (blockTime != null) {
        command.add("--block-time");
        command.add(
            BigDecimal.valueOf(blockTime.toMillis(), 3).stripTrailingZeros().toPlainString());
      }
      if (stateFile != null) {
        command.addAll(List.of("--state", stateFile.toString()));
      }
      if (chainId != null) {
        command.addAll(List.of("--chain-id", Long.toString(chainId)));
      }
      if (slotsInAnEpoch != null) {
        command.addAll(List.of("--slots-in-an-epoch", Integer.toString(slotsInAnEpoch)));
      }
      Path output = logFile != null ? logFile : createTempLog();
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
      Process process;
      try {
        process = builder.start();
      } catch (IOException e) {
        throw new IllegalStateException(
            "Cannot start Anvil " + executable + ". " + INSTALL_HINT, e);
      }
      try {
        long readyChainId = awaitReady(process, chosenPort, output);
        log.info(
            "Anvil started (pid {}, port {}, chainId {}, blockTime {})",
            process.pid(),
            chosenPort,
            readyChainId,
            blockTime == null ? "instant" : blockTime);
        return new AnvilNode(process, chosenPort, readyChainId, output, logFile == null);
      } catch (RuntimeException e) {
        process.destroyForcibly();
        try {
          process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
        }
        if (logFile == null) {
          deleteQuietly(output);
        }
        throw e;
      }
    }

    private long awaitReady(Process process, int chosenPort, Path output) {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + chosenPort))
              .timeout(Duration.ofSeconds(2))
              .header("Content-Type", "application/json")
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":[]}"))
              .build();
      long deadline = System.nanoTime() + startupTimeout.toNanos();
      while (true) {
        if (!process.isAlive()) {
          String tail = tail(output);
          if (tail.contains("Address already in use")) {
            throw new PortTakenException(chosenPort, tail);
          }
          throw new IllegalStateException(
              "Anvil exited with code "
                  + process.exitValue()
                  + " before answering on port "
                  + chosenPort
                  + ". Last output:\n"
                  + tail);
        }
        Optional<Long> answer = tryChainId(http, request);
        if (answer.isPresent()) {
          return answer.get();
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "Anvil (pid "
                  + process.pid()
                  + ") did not answer eth_chainId on "
                  + HOST
                  + ":"
                  + chosenPort
                  + " within "
                  + startupTimeout
                  + ". "
                  + INSTALL_HINT
                  + " Last output:\n"
                  + tail(output));
        }
        try {
          Thread.sleep(POLL_INTERVAL.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("Interrupted while waiting for Anvil to start", e);
        }
      }
    }

    private static Optional<Long> tryChainId(HttpClient http, HttpRequest request) {
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        Matcher matcher = RESULT.matcher(response.body());
        if (response.statusCode() == 200 && matcher.find()) {
          return Optional.of(Long.parseLong(matcher.group(1).substring(2), 16));
        }
        return Optional.empty();
      } catch (IOException notListeningYet) {
        return Optional.empty();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for Anvil to start", e);
      }
    }

    private static int freePort() {
      try (ServerSocket socket = new ServerSocket(0)) {
        socket.setReuseAddress(true);
        return socket.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot find a free local port", e);
      }
    }

    private static Path createTempLog() {
      try {
        return Files.createTempFile("anvil-", ".log");
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot create a log file for Anvil", e);
      }
    }

    private static String tail(Path output) {
      try {
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
      } catch (IOException e) {
        return "(could not read " + output + ": " + e + ")";
      }
    }

    private static void deleteQuietly(Path file) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        log.warn("Could not delete Anvil log file {}: {}", file, e.toString());
      }
    }
  }

  /** Anvil exited because another process took the port between our probe and its bind. */
  private static final class PortTakenException extends IllegalStateException {
    PortTakenException(int port, String output) {
      super("Anvil could not bind port " + port + ":\n" + output);
    }
  }
}
