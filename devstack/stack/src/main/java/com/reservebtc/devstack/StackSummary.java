package com.reservebtc.devstack;

import com.reservebtc.contracts.anvil.AnvilNode;
import com.reservebtc.contracts.deploy.ProtocolDeployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The "what runs where" table and ready-to-paste examples printed once the stack is up. */
final class StackSummary {

  private StackSummary() {}

  static String render(DevStack stack) {
    long launcherPid = ProcessHandle.current().pid();
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"component", "address", "pid", "notes"});
    rows.add(
        new String[] {
          "PostgreSQL",
          stack.postgresJdbcUrl(),
          stack.postgresPid().map(String::valueOf).orElse("-"),
          "user " + stack.postgresUser() + ", one schema per service"
        });
    rows.add(
        new String[] {
          "Kafka",
          stack.kafkaBootstrapServers(),
          stack.kafkaPid().map(String::valueOf).orElse("-"),
          stack.runsKafka() ? "KRaft broker, log logs/kafka.log" : "external"
        });
    rows.add(
        new String[] {
          "EVM chain " + stack.chainId(),
          stack.rpcUrl(),
          stack.anvil().map(a -> String.valueOf(a.pid())).orElse("-"),
          stack.anvil().isPresent() ? "Anvil, 1 s blocks, log logs/anvil.log" : "external"
        });
    rows.add(
        new String[] {
          "Esplora",
          stack.esploraUrl(),
          stack.esploraSimulator().isPresent() ? String.valueOf(launcherPid) : "-",
          stack.esploraSimulator().isPresent() ? "simulator (regtest) in the launcher" : "external"
        });
    for (RunningService service : stack.services()) {
      rows.add(
          new String[] {
            service.name(),
            service.baseUrl(),
            String.valueOf(service.pid()),
            "log logs/" + service.name() + ".log"
          });
    }
    StringBuilder out = new StringBuilder("\n");
    out.append(table(rows));
    out.append('\n');
    out.append("  data dir   ").append(stack.dataDir()).append('\n');
    out.append("  logs       ").append(stack.logDir()).append('\n');
    out.append("  launcher   pid ").append(launcherPid).append('\n');
    ProtocolDeployment d = stack.deployment();
    out.append('\n')
        .append("Contracts (chain ")
        .append(d.chainId())
        .append(", from block ")
        .append(d.deploymentBlock())
        .append(", ")
        .append(stack.deploymentFile())
        .append(")\n");
    out.append("  OracleAggregator  ").append(d.oracleAggregator()).append('\n');
    out.append("  RBTCSynth         ").append(d.synth()).append('\n');
    out.append("  FeeVault          ").append(d.feeVault()).append('\n');
    out.append("  FeePolicy         ").append(d.feePolicy()).append('\n');
    out.append("  VaultWrBTC        ").append(d.wrbtc()).append('\n');
    out.append("  YieldScalesPool   ").append(d.yieldPool()).append('\n');
    out.append("  committee         ").append(d.committee()).append('\n');
    out.append("  reserves signer   ")
        .append(ServiceEnvironment.devReservesSigner().toLowerCase(java.util.Locale.ROOT))
        .append("  (proof-of-reserves attestations; a dev key, local stack only)\n");
    out.append(examples(stack));
    return out.toString();
  }

  /** Anvil's second dev account: a user with ETH for gas that is not the committee. */
  private static final String DEMO_USER = AnvilNode.DEV_ACCOUNT_1_ADDRESS;

  private static String examples(DevStack stack) {
    StringBuilder out = new StringBuilder("\nTry it:\n");
    String esplora = stack.esploraUrl();
    String user = DEMO_USER;
    java.util.Optional<RunningService> gateway =
        stack.services().stream()
            .filter(s -> s.name().equals(ServiceSpec.API_GATEWAY.name()))
            .findFirst();
    boolean canBind =
        stack.esploraSimulator().isPresent()
            && gateway.isPresent()
            && stack.services().stream().anyMatch(s -> s.name().equals(ServiceSpec.ORACLE.name()));
    if (canBind) {
      out.append(
          "  # 1. bind a fresh regtest Bitcoin address to an EVM user (Anvil dev account 1, which"
              + " signs too);\n  #    it prints the fund and mine commands for that address\n");
      out.append(
          String.format(
              Locale.ROOT,
              "  devstack/demo-binding %s --gateway %s --esplora %s%n",
              user,
              gateway.get().baseUrl(),
              esplora));
    }
    gateway.ifPresent(
        g -> {
          out.append(
              canBind
                  ? "  # 2. after funding and mining, the user's balance, transactions and live"
                      + " stream\n"
                  : "  # a user's balances, transactions and live stream through the gateway\n");
          out.append(
              String.format(
                  Locale.ROOT,
                  "  curl -s '%s/api/realtime/balances?address=%s'%n",
                  g.baseUrl(),
                  user));
          out.append(
              String.format(
                  Locale.ROOT,
                  "  curl -s '%s/api/realtime/transactions?address=%s&limit=10'%n",
                  g.baseUrl(),
                  user));
          out.append(
              String.format(
                  Locale.ROOT,
                  "  curl -N '%s/api/realtime/stream?address=%s'   # ':connected', then events%n",
                  g.baseUrl(),
                  user));
        });
    out.append("  # the chain head\n");
    out.append(
        String.format(
            Locale.ROOT,
            "  curl -s -X POST %s -H 'Content-Type: application/json'"
                + " -d '{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_blockNumber\",\"params\":[]}'%n",
            stack.rpcUrl()));
    return out.toString();
  }

  static String table(List<String[]> rows) {
    int columns = rows.get(0).length;
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int c = 0; c < columns; c++) {
        widths[c] = Math.max(widths[c], row[c].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder("  ");
      for (int c = 0; c < columns; c++) {
        line.append(String.format(Locale.ROOT, "%-" + widths[c] + "s", row[c]));
        if (c < columns - 1) {
          line.append("  ");
        }
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }
}
