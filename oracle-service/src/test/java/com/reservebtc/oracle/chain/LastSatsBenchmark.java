package com.reservebtc.oracle.chain;

import com.reservebtc.contracts.anvil.AnvilNode;
import com.reservebtc.contracts.deploy.DeploymentParameters;
import com.reservebtc.contracts.deploy.ProtocolDeployer;
import com.reservebtc.contracts.deploy.ProtocolDeployment;
import com.reservebtc.contracts.generated.FeeVault;
import com.reservebtc.contracts.generated.OracleAggregator;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * Times the sync phase's {@code lastSats} reads with the production {@link AggregatorClient}
 * against a local Anvil with the protocol deployed: one {@code eth_call} per user in sequence
 * ({@code rbtc.chain.read-batch-size=1}, the former behaviour) against JSON-RPC batches. Optionally
 * adds a fixed delay to every HTTP round trip (a loopback proxy in front of Anvil) to show what a
 * remote endpoint's latency does to each. Used by {@code BalanceCheckBenchmark --last-sats}.
 */
public final class LastSatsBenchmark {

  private static final BigInteger FEES = BigInteger.TEN.pow(17);

  private LastSatsBenchmark() {}

  /**
   * @return whether the batched reads returned exactly the sequential reads' values, including the
   *     users given a non-zero balance first
   */
  public static boolean run(int users, int batchSize, int rounds, Duration addedLatency)
      throws Exception {
    System.out.printf(
        Locale.ROOT,
        "%nlastSats: %d users against Anvil, %s added per HTTP round trip%n",
        users,
        addedLatency.isZero() ? "nothing" : addedLatency.toMillis() + " ms");
    try (AnvilNode anvil = AnvilNode.start()) {
      Web3j direct = Web3j.build(new HttpService(anvil.rpcUrl()));
      HttpServer proxy = addedLatency.isZero() ? null : delayingProxy(anvil.rpcUrl(), addedLatency);
      Web3j web3j =
          proxy == null
              ? direct
              : Web3j.build(new HttpService("http://127.0.0.1:" + proxy.getAddress().getPort()));
      try {
        Credentials committee = Credentials.create(AnvilNode.DEV_ACCOUNT_0_PRIVATE_KEY);
        ProtocolDeployment deployment =
            new ProtocolDeployer(direct, committee)
                .deploy(DeploymentParameters.defaults(AnvilNode.DEV_ACCOUNT_0_ADDRESS));
        List<String> addresses = new ArrayList<>(users);
        for (int i = 0; i < users; i++) {
          addresses.add(String.format(Locale.ROOT, "0x%040x", 0x1000 + i));
        }
        Map<String, Long> synced = syncSome(direct, deployment, committee, addresses);

        AggregatorClient sequential =
            new AggregatorClient(
                web3j,
                deployment.chainId(),
                deployment.oracleAggregator(),
                committee.getAddress(),
                1);
        AggregatorClient batched =
            new AggregatorClient(
                web3j,
                deployment.chainId(),
                deployment.oracleAggregator(),
                committee.getAddress(),
                batchSize);
        Map<String, Long> one = null;
        Map<String, Long> many = null;
        for (int round = 1; round <= rounds; round++) {
          one = time("sequential (batch size 1)", round, sequential, addresses, 1);
          many =
              time("batched (batch size " + batchSize + ")", round, batched, addresses, batchSize);
        }
        boolean ok = one.equals(many);
        for (Map.Entry<String, Long> user : synced.entrySet()) {
          ok &= user.getValue().equals(many.get(user.getKey()));
        }
        System.out.printf(
            Locale.ROOT,
            "  batched values %s the sequential ones (%d users, %d of them synced to a non-zero"
                + " balance first)%n",
            ok ? "equal" : "DIFFER FROM",
            users,
            synced.size());
        return ok;
      } finally {
        if (proxy != null) {
          web3j.shutdown();
          proxy.stop(0);
        }
        direct.shutdown();
      }
    }
  }

  /** Reads every user's lastSats in calls of {@code chunk} users, timing each call. */
  private static Map<String, Long> time(
      String label, int round, AggregatorClient client, List<String> users, int chunk)
      throws ChainException {
    Map<String, Long> result = new LinkedHashMap<>();
    long[] latencies = new long[(users.size() + chunk - 1) / chunk];
    long started = System.nanoTime();
    for (int i = 0, from = 0; from < users.size(); i++, from += chunk) {
      long t = System.nanoTime();
      result.putAll(client.lastSats(users.subList(from, Math.min(users.size(), from + chunk))));
      latencies[i] = System.nanoTime() - t;
    }
    long wall = System.nanoTime() - started;
    Arrays.sort(latencies);
    System.out.printf(
        Locale.ROOT,
        "  round %d, %-26s wall %8.3f s, %9.0f reads/s, %5d HTTP requests, per request p50 %7.3f ms"
            + " p99 %7.3f ms%n",
        round,
        label,
        wall / 1e9,
        users.size() / (wall / 1e9),
        latencies.length,
        latencies[latencies.length / 2] / 1e6,
        latencies[(int) Math.min(latencies.length - 1, Math.ceil(latencies.length * 0.99) - 1)]
            / 1e6);
    return result;
  }

  /** Gives a few users a balance with real syncs, so the reads are checked on non-zero values. */
  private static Map<String, Long> syncSome(
      Web3j web3j, ProtocolDeployment deployment, Credentials committee, List<String> users)
      throws Exception {
    RawTransactionManager transactions =
        new RawTransactionManager(
            web3j,
            committee,
            deployment.chainId(),
            new PollingTransactionReceiptProcessor(web3j, 50, 600));
    FeeVault vault =
        FeeVault.load(deployment.feeVault(), web3j, transactions, new DefaultGasProvider());
    OracleAggregator aggregator =
        OracleAggregator.load(
            deployment.oracleAggregator(), web3j, transactions, new DefaultGasProvider());
    Map<String, Long> synced = new LinkedHashMap<>();
    for (int i = 0; i < users.size() && synced.size() < 5; i += Math.max(1, users.size() / 5)) {
      String user = users.get(i);
      long sats = 1_000L + i;
      vault.depositETH(user, FEES).send();
      aggregator.sync(user, BigInteger.valueOf(sats), new byte[0]).send();
      synced.put(user, sats);
    }
    return synced;
  }

  /** A loopback HTTP proxy to {@code target} that holds every request for {@code delay} first. */
  private static HttpServer delayingProxy(String target, Duration delay) throws IOException {
    HttpClient http = HttpClient.newHttpClient();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ExecutorService threads =
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "delaying-proxy");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(threads);
    server.createContext(
        "/",
        exchange -> {
          try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            // The point of the proxy: a fixed network round trip, as to a remote endpoint.
            Thread.sleep(delay.toMillis());
            HttpResponse<byte[]> answer =
                http.send(
                    HttpRequest.newBuilder(URI.create(target))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.statusCode(), answer.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(answer.body());
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(503, -1);
          } finally {
            exchange.close();
          }
        });
    server.start();
    return server;
  }
}
