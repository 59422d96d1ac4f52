package com.reservebtc.devstack;

import com.reservebtc.contracts.anvil.AnvilNode;
import com.reservebtc.contracts.generated.FeeVault;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.web3j.abi.FunctionEncoder;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * Measures, in the whole local stack ({@code devstack/run}'s components, all five services), the
 * latency from a chain log becoming visible on the node to the same log being pushed on the user's
 * server-sent-event stream and listed by {@code GET /api/realtime/transactions}. Writes the results
 * as Markdown.
 *
 * <p>Each round sends {@code per-block} fee-vault deposits, each for another user whose event
 * stream is open, and polls {@code eth_blockNumber} every millisecond: the moment the block with
 * the deposits appears is the start (its receipts are available from then on). The SSE latency of
 * each deposit ends when its {@code transaction} event has arrived (the reader's clock, {@link
 * SseStream}); the read-API latency of one deposit per round ends when a poll (every 2 ms) of its
 * user's {@code /transactions} first lists it. The first {@code warmup} rounds are not counted.
 *
 * <p>With {@code --gateway-replicas 2} the stack runs a second gateway replica ({@code
 * api-gateway-2}) in the same consumer group, and each user's stream and read polls go to the
 * replica that does <em>not</em> consume the user's fee-vault partition (from the group's
 * assignment, checked again after the run, and the partition of each deposit as the indexer
 * published it): the event reaches that client only through the other replica's projection, the
 * shared stream table and this replica's relay.
 *
 * <p>Run with {@code devstack/bench/run-chain-to-read}; options {@code --rounds N} (default 200),
 * {@code --per-block N} (4), {@code --warmup N} (15), {@code --gateway-replicas 1|2} (1), {@code
 * --service-timeout SECONDS} (300), {@code --results FILE}, {@code --service-java-options "..."}
 * (the services' JVM options instead of the launcher's defaults, e.g. to compare settings).
 */
public final class ChainToReadLatencyBenchmark {

  private static final BigInteger DEPOSIT_WEI = BigInteger.TEN.pow(15);
  private static final BigInteger GAS_PRICE = BigInteger.valueOf(2_000_000_000L);
  private static final BigInteger GAS_LIMIT = BigInteger.valueOf(100_000);

  private final Map<String, String> options;
  private final HttpClient http = HttpClient.newHttpClient();
  private int abandonedPolls;

  private ChainToReadLatencyBenchmark(Map<String, String> options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    new ChainToReadLatencyBenchmark(options).run();
    System.exit(0);
  }

  private int option(String name, int fallback) {
    return Integer.parseInt(options.getOrDefault(name, Integer.toString(fallback)));
  }

  private void run() throws Exception {
    int rounds = option("rounds", 200);
    int perBlock = option("per-block", 4);
    int warmup = option("warmup", 15);
    int replicas = option("gateway-replicas", 1);
    if (replicas != 1 && replicas != 2) {
      throw new IllegalArgumentException("--gateway-replicas must be 1 or 2");
    }
    List<String> services = new ArrayList<>();
    ServiceSpec.all().forEach(spec -> services.add(spec.name()));
    if (replicas == 2) {
      services.add(ServiceSpec.API_GATEWAY_2.name());
    }
    Path results = Path.of(options.getOrDefault("results", "RESULTS.md"));
    Path dataDir = Files.createTempDirectory("rbtc-latency-bench");
    // The launcher's JVM options per service (or those given), plus:
    List<String> javaOptions = new ArrayList<String>();
    for (String option : options.getOrDefault("service-java-options", "").split("\\s+")) {
      if (!option.isEmpty()) {
        javaOptions.add(option);
      }
    }
    // Every request of the benchmark comes from one loopback client.
    javaOptions.add("-Drbtc.gateway.rate-limit.requests-per-second=100000");
    javaOptions.add("-Drbtc.gateway.rate-limit.burst=100000");
    long startedAt = System.nanoTime();
    try (DevStack stack =
        DevStack.start(
            DevStackOptions.builder()
                .dataDir(dataDir)
                .fresh(true)
                .freePorts()
                .serviceJavaOptions(javaOptions)
                .services(services)
                // six JVMs starting at once on two cores: on a loaded machine this takes long
                .serviceTimeout(Duration.ofSeconds(option("service-timeout", 300)))
                .build())) {
      say("stack ready in " + (System.nanoTime() - startedAt) / 1_000_000_000 + " s");
      measure(stack, rounds, perBlock, warmup, replicas, results);
    }
  }

  private void measure(
      DevStack stack, int rounds, int perBlock, int warmup, int replicas, Path results)
      throws Exception {
    List<String> users = new ArrayList<>();
    // the gateway each user's stream and read polls go to
    List<String> gateways = new ArrayList<>();
    GatewayReplicas group = null;
    if (replicas == 2) {
      group = GatewayReplicas.awaitBoth(stack.kafkaBootstrapServers());
      say("fee-vault partitions per replica: " + group.describe());
    }
    for (int i = 0; i < perBlock; i++) {
      if (group == null) {
        users.add("0x" + Keys.getAddress(Keys.createEcKeyPair()).toLowerCase(Locale.ROOT));
        gateways.add(stack.serviceUrl(ServiceSpec.API_GATEWAY.name()));
      } else {
        // alternately a user projected by each replica, streamed from the other
        String projectedBy = GatewayReplicas.NAMES.get(i % 2);
        String user = group.userProjectedBy(projectedBy);
        users.add(user);
        gateways.add(stack.serviceUrl(GatewayReplicas.other(projectedBy)));
      }
    }
    List<SseStream> streams = new ArrayList<>();
    Map<String, Long> pushedAt = new ConcurrentHashMap<>();
    for (int i = 0; i < perBlock; i++) {
      streams.add(
          SseStream.open(
              http,
              gateways.get(i),
              users.get(i),
              Duration.ofSeconds(30),
              event -> {
                if (event.name().equals("transaction")) {
                  String tx = event.json().path("transaction").path("tx_hash").asString();
                  pushedAt.putIfAbsent(tx, event.receivedNanos());
                }
              }));
    }
    HttpService rpc = new HttpService(stack.rpcUrl());
    Web3j web3j = Web3j.build(rpc);
    Credentials sender = Credentials.create(AnvilNode.DEV_ACCOUNT_1_PRIVATE_KEY);
    BigInteger nonce =
        web3j
            .ethGetTransactionCount(sender.getAddress(), DefaultBlockParameterName.PENDING)
            .send()
            .getTransactionCount();
    String feeVault = stack.deployment().feeVault();

    List<Long> sseNanos = new ArrayList<>();
    List<Long> readNanos = new ArrayList<>();
    String loadBefore = loadAverage();
    for (int round = 0; round < rounds; round++) {
      long before = web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
      List<String> txs = new ArrayList<>();
      for (String user : users) {
        String data =
            FunctionEncoder.encode(
                new org.web3j.abi.datatypes.Function(
                    FeeVault.FUNC_DEPOSITETH,
                    List.of(new org.web3j.abi.datatypes.Address(user)),
                    List.of()));
        RawTransaction raw =
            RawTransaction.createTransaction(
                nonce, GAS_PRICE, GAS_LIMIT, feeVault, DEPOSIT_WEI, data);
        nonce = nonce.add(BigInteger.ONE);
        String signed =
            Numeric.toHexString(TransactionEncoder.signMessage(raw, stack.chainId(), sender));
        EthSendTransaction sent = web3j.ethSendRawTransaction(signed).send();
        if (sent.hasError()) {
          throw new IllegalStateException("deposit refused: " + sent.getError().getMessage());
        }
        txs.add(Hash.sha3(signed).toLowerCase(Locale.ROOT));
      }
      long minedAt = awaitBlockAfter(web3j, before);
      for (String tx : txs) {
        if (web3j.ethGetTransactionReceipt(tx).send().getTransactionReceipt().isEmpty()) {
          // Sent across a block boundary: the round's start is not its block's; skip the round.
          minedAt = -1;
        }
      }
      if (minedAt < 0) {
        awaitReceipts(web3j, txs);
        continue;
      }
      int polled = round % users.size();
      long listedAt = awaitListed(gateways.get(polled), users.get(polled), txs.get(polled));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!txs.stream().allMatch(pushedAt::containsKey)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("deposits not pushed on their streams within 30 s");
        }
        Thread.onSpinWait();
      }
      if (round >= warmup) {
        for (String tx : txs) {
          sseNanos.add(pushedAt.get(tx) - minedAt);
        }
        readNanos.add(listedAt - minedAt);
      }
      if ((round + 1) % 25 == 0) {
        say("round " + (round + 1) + " of " + rounds);
      }
    }
    streams.forEach(SseStream::close);
    web3j.shutdown();
    String setup = "one gateway";
    if (group != null) {
      // the assignment did not move during the run, and the deposits went where it was computed
      group.checkUnchanged();
      group.checkPublishedPartitions(users);
      setup =
          "two gateway replicas in one consumer group; every stream and read poll on the replica"
              + " that does not consume the user's fee-vault partition ("
              + group.describe()
              + ", unchanged through the run; each deposit's partition checked on the topic)";
    }
    setup +=
        "; load average (1, 5, 15 min) "
            + loadBefore
            + " before the first round, "
            + loadAverage()
            + " after the last";
    if (abandonedPolls > 0) {
      setup += "; " + abandonedPolls + " read polls abandoned after 2 s without an answer";
    }
    write(results, rounds, perBlock, warmup, setup, sseNanos, readNanos);
  }

  /** Polls the head every millisecond; the moment it passes {@code before}. */
  private static long awaitBlockAfter(Web3j web3j, long before) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      long head = web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
      if (head > before) {
        return System.nanoTime();
      }
      LockSupport.parkNanos(1_000_000);
    }
    throw new IllegalStateException("no block mined within 10 s");
  }

  private static void awaitReceipts(Web3j web3j, List<String> txs) throws Exception {
    for (String tx : txs) {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (web3j.ethGetTransactionReceipt(tx).send().getTransactionReceipt().isEmpty()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(tx + " not mined within 10 s");
        }
        LockSupport.parkNanos(5_000_000);
      }
    }
  }

  /** Polls the user's transactions every 2 ms; the moment {@code tx} is listed. */
  private long awaitListed(String gateway, String user, String tx) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(gateway + "/api/realtime/transactions?address=" + user + "&limit=5"))
            // a poll left unanswered on its keep-alive connection is abandoned, not waited for
            .timeout(Duration.ofSeconds(2))
            .build();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> answer;
      try {
        answer = http.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (java.net.http.HttpTimeoutException e) {
        abandonedPolls++;
        continue;
      }
      if (answer.statusCode() == 200 && answer.body().contains(tx)) {
        return System.nanoTime();
      }
      LockSupport.parkNanos(2_000_000);
    }
    throw new IllegalStateException(tx + " not listed by the gateway within 30 s");
  }

  private void write(
      Path results,
      int rounds,
      int perBlock,
      int warmup,
      String setup,
      List<Long> sseNanos,
      List<Long> readNanos)
      throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("# Chain log to read API and event stream: latency in the local stack\n\n");
    md.append("Generated by `devstack/bench/run-chain-to-read` on ")
        .append(Instant.now())
        .append(".\n\n## Machine\n\n");
    md.append("- ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores visible to the JVM, ")
        .append(memTotal())
        .append(" RAM, ")
        .append(System.getProperty("java.vm.name"))
        .append(' ')
        .append(System.getProperty("java.runtime.version"))
        .append('\n');
    md.append(
        "- Everything on this one machine: the whole local stack of `devstack/run` (standalone"
            + " KRaft broker, embedded PostgreSQL, Anvil with 1 s blocks, the Esplora simulator"
            + " and the services) plus this client.\n");
    md.append("- Gateways: ").append(setup).append(".\n");
    md.append("- Services' JVM options: ")
        .append(
            options.containsKey("service-java-options")
                ? "`" + options.get("service-java-options") + "` for every service"
                : "the launcher's defaults per service (" + ServiceJvm.describeDefaults() + ")")
        .append(", with Spring AOT where the jar has it and class-data sharing archives once")
        .append(" recorded (a fresh data directory: this run records them).\n\n");
    md.append("## Inputs\n\n");
    md.append("- ")
        .append(rounds)
        .append(" blocks, each with ")
        .append(perBlock)
        .append(" FeeVault deposits for ")
        .append(perBlock)
        .append(" users whose event streams are open; the first ")
        .append(warmup)
        .append(
            " blocks are warm-up. Rounds whose deposits were split over two blocks are"
                + " skipped.\n");
    md.append(
        "- Start: the block with the deposits appears to a client polling `eth_blockNumber`"
            + " every 1 ms. SSE: the deposit's `transaction` event has arrived. Read API: a poll"
            + " (every 2 ms) of `/api/realtime/transactions` lists the deposit (one per block).\n\n");
    md.append(
        "## Results\n\n| path | samples | p50 | p90 | p99 | max |\n|---|---|---|---|---|---|\n");
    md.append(row("chain log → SSE event", sseNanos));
    md.append(row("chain log → `/transactions`", readNanos));
    Files.writeString(results, md.toString(), StandardCharsets.UTF_8);
    System.out.println(md);
  }

  private static String row(String what, List<Long> nanos) {
    long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    return String.format(
        Locale.ROOT,
        "| %s | %d | %.1f ms | %.1f ms | **%.1f ms** | %.1f ms |%n",
        what,
        sorted.length,
        quantile(sorted, 0.5),
        quantile(sorted, 0.9),
        quantile(sorted, 0.99),
        sorted[sorted.length - 1] / 1e6);
  }

  private static double quantile(long[] sorted, double q) {
    int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
  }

  private static String loadAverage() throws IOException {
    String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return fields[0] + " " + fields[1] + " " + fields[2];
  }

  private static String memTotal() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
      if (line.startsWith("MemTotal")) {
        return (Long.parseLong(line.replaceAll("\\D", "")) / 1024 / 1024) + " GiB";
      }
    }
    return "unknown";
  }

  private static void say(String line) {
    System.out.println("[bench] " + line);
  }
}
