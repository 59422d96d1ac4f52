package com.reservebtc.devstack;

import com.reservebtc.contracts.anvil.AnvilNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The EVM chain of the stack: Anvil started by the launcher (one block per second, like the target
 * chain, with its state saved to a file on a graceful stop) or an external JSON-RPC node.
 *
 * <p>Guarantees: when created, the node answers JSON-RPC and {@link #chainId()} is what it
 * reported.
 */
final class LocalChain implements AutoCloseable {

  static final Duration BLOCK_TIME = Duration.ofSeconds(1);

  /** How long Anvil may take to answer; it reads its whole state file first. */
  static Duration startupTimeout(Path stateFile) {
    long bytes;
    try {
      bytes = java.nio.file.Files.exists(stateFile) ? java.nio.file.Files.size(stateFile) : 0;
    } catch (java.io.IOException e) {
      bytes = 0;
    }
    // 30 s, plus a second per 8 MiB of state (a 500 MiB chain loads in about a minute on 2 cores).
    return Duration.ofSeconds(30 + bytes / (8L << 20));
  }

  private final String rpcUrl;
  private final long chainId;
  private final AnvilNode anvil;

  private LocalChain(String rpcUrl, long chainId, AnvilNode anvil) {
    this.rpcUrl = rpcUrl;
    this.chainId = chainId;
    this.anvil = anvil;
  }

  static LocalChain startAnvil(int port, Path stateFile, Path logFile) {
    try {
      AnvilNode node =
          AnvilNode.builder()
              .port(port)
              .blockTime(BLOCK_TIME)
              .stateFile(stateFile)
              .logFile(logFile)
              .startupTimeout(startupTimeout(stateFile))
              .start();
      return new LocalChain(node.rpcUrl(), node.chainId(), node);
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw new DevStackException("Anvil did not start: " + e.getMessage(), e);
    }
  }

  static LocalChain external(String rpcUrl) {
    return new LocalChain(rpcUrl, new EvmRpc(rpcUrl).chainId(), null);
  }

  String rpcUrl() {
    return rpcUrl;
  }

  long chainId() {
    return chainId;
  }

  int port() {
    return java.net.URI.create(rpcUrl).getPort();
  }

  Optional<AnvilNode> anvil() {
    return Optional.ofNullable(anvil);
  }

  /** Stops Anvil (SIGTERM so that it writes its state file); nothing for an external node. */
  @Override
  public void close() {
    if (anvil != null) {
      anvil.close();
    }
  }
}
