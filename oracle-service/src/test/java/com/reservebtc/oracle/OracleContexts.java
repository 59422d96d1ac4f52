package com.reservebtc.oracle;

import com.reservebtc.contracts.anvil.AnvilNode;
import com.reservebtc.oracle.ownership.Bip322TestSigner;
import com.reservebtc.oracle.ownership.EthKeys;
import com.reservebtc.oracle.ownership.OwnershipMessage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.crypto.ECKey;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the oracle in this JVM against a test's components, each with a database of its own, so
 * tests that need different settings (sources, confirmations) do not see each other's bindings.
 */
final class OracleContexts {

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /**
   * The tests' proof-of-reserves attestation key (a fixed test key, not an Anvil account) and its
   * address.
   */
  static final String RESERVES_SIGNING_KEY =
      "8f2a55949038a9610f50fb23b5883af3b4ecb3c3bb792cbcefbd1542c692be63";

  static final String RESERVES_SIGNER =
      org.web3j.crypto.Credentials.create(RESERVES_SIGNING_KEY).getAddress();

  private OracleContexts() {}

  /**
   * The settings every test context shares: the components, the dev committee key and fast cycles.
   * Callers add or override entries, then pass them to {@link #start(Map)}.
   */
  static Map<String, String> settings(OracleSyncIT.Infra infra, String jdbcUrl) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("server.port", "0");
    properties.put("spring.kafka.bootstrap-servers", infra.kafka.getBrokersAsString());
    properties.put("spring.datasource.url", jdbcUrl);
    properties.put("spring.datasource.username", "postgres");
    properties.put("spring.datasource.password", "postgres");
    properties.put("rbtc.chain.rpc-url", infra.anvil.rpcUrl());
    properties.put("rbtc.chain.id", String.valueOf(infra.deployment.chainId()));
    properties.put("rbtc.contracts.oracle-aggregator", infra.deployment.oracleAggregator());
    properties.put("rbtc.oracle.committee-key", AnvilNode.DEV_ACCOUNT_0_PRIVATE_KEY);
    properties.put("rbtc.reserves.signing-key", RESERVES_SIGNING_KEY);
    properties.put("rbtc.oracle.cycle-interval", "200ms");
    properties.put("rbtc.tx.poll-interval", "50ms");
    properties.put("rbtc.bitcoin.esplora-urls", infra.esplora.baseUrl());
    properties.put("rbtc.bitcoin.network", "regtest");
    properties.put("rbtc.bitcoin.min-confirmations", "1");
    properties.put("rbtc.bitcoin.request-timeout", "1s");
    return properties;
  }

  /** Creates an empty database on the test's Postgres and returns its JDBC URL. */
  static String newDatabase(OracleSyncIT.Infra infra) {
    String name = "oracle_it_" + DATABASES.incrementAndGet();
    try (Connection connection = infra.postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("create database " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + name, e);
    }
    return infra.postgres.getJdbcUrl("postgres", name) + "&currentSchema=oracle";
  }

  /**
   * Starts the service with {@code properties} as command-line arguments (above application.yml).
   */
  static ConfigurableApplicationContext start(Map<String, String> properties) {
    return new SpringApplicationBuilder(OracleApplication.class)
        .run(
            properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new));
  }

  static int port(ConfigurableApplicationContext context) {
    return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
  }

  /** GET of {@code path} on the oracle at {@code port}: the body, whatever the status. */
  static String get(int port, String path) throws IOException, InterruptedException {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /**
   * Binds a P2WPKH regtest address of {@code key} to {@code user} (made by {@link EthKeys}) with a
   * BIP-322 signature and the user's EIP-191 signature.
   */
  static HttpResponse<String> bindP2wpkh(int port, String user, ECKey key)
      throws IOException, InterruptedException {
    String btcAddress = Bip322TestSigner.p2wpkhAddress(key, BitcoinNetwork.REGTEST);
    String message = OwnershipMessage.format(System.currentTimeMillis() / 1000, user);
    String body =
        "{\"ethAddress\":\""
            + user
            + "\",\"btcAddress\":\""
            + btcAddress
            + "\",\"message\":\""
            + message.replace("\n", "\\n")
            + "\",\"signature\":\""
            + Bip322TestSigner.signP2wpkh(key, message)
            + "\",\"ethSignature\":\""
            + EthKeys.sign(user, message)
            + "\"}";
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/bindings"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
