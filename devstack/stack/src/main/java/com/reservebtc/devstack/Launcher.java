package com.reservebtc.devstack;

import com.reservebtc.contracts.anvil.AnvilNode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The command-line run: parse, start, print what runs where, wait for Ctrl-C or SIGTERM.
 *
 * <p>Exit codes: 0 after {@code --help}, 2 for a bad command line, 1 when the stack did not start
 * (everything started is stopped first), 130/143 after Ctrl-C/SIGTERM once everything stopped.
 */
final class Launcher {

  private Launcher() {}

  static void run(String[] args) {
    DevStack stack;
    try {
      CommandLine.Parsed parsed = CommandLine.parse(List.of(args), System.getenv());
      if (parsed.help()) {
        System.out.print(CommandLine.help());
        return;
      }
      stack = new DevStack(parsed.options());
      logLibrariesToFile(stack.dataDir());
      pointAnvilLookupAtRepository(parsed.options());
    } catch (DevStackException e) {
      System.err.println("devstack: " + e.getMessage());
      System.exit(2);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(stack::closeQuietly, "devstack-shutdown"));
    try {
      stack.startAll();
    } catch (RuntimeException | Error e) {
      if (!stack.isClosing()) {
        if (!(e instanceof DevStackException)) {
          e.printStackTrace();
        }
        stack.progress().line("FAILED: " + DevStack.describe(e));
        stack.closeQuietly();
        System.exit(1);
      }
      return;
    }
    stack.progress().raw(StackSummary.render(stack));
    stack.reportUnexpectedExits();
    stack.progress().line("running; press Ctrl-C to stop everything");
    try {
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Library logs (Kafka clients, PostgreSQL, web3j, ...) go to a file, not the console. */
  private static void logLibrariesToFile(Path dataDir) {
    Path file = dataDir.resolve("logs").resolve("launcher.log");
    System.setProperty("org.slf4j.simpleLogger.logFile", file.toString());
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
  }

  /**
   * Anvil is found through the contracts module's {@code node_modules}; when the launcher runs
   * outside the checkout, tell the lookup where the checkout is (unless it was configured).
   */
  private static void pointAnvilLookupAtRepository(DevStackOptions options) {
    if (System.getProperty(AnvilNode.BINARY_PROPERTY) != null
        || System.getenv(AnvilNode.BINARY_ENV) != null
        || System.getProperty(AnvilNode.NODE_MODULES_PROPERTY) != null) {
      return;
    }
    try {
      Path nodeModules =
          RepoRoot.locate(options.repoRoot()).resolve("contracts").resolve("node_modules");
      System.setProperty(AnvilNode.NODE_MODULES_PROPERTY, nodeModules.toString());
    } catch (DevStackException notInACheckout) {
      // Anvil's own lookup (working directory and parents) decides, and explains a failure
    }
  }
}
