package com.reservebtc.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.reservebtc.contracts.anvil.AnvilNode;
import com.reservebtc.contracts.generated.OracleAggregator;
import com.reservebtc.oracle.ownership.Bip322TestSigner;
import com.reservebtc.oracle.ownership.EthKeys;
import com.reservebtc.oracle.ownership.OwnershipMessage;
import com.reservebtc.oracle.sync.AfterBroadcast;
import com.reservebtc.txsender.SentTx;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.crypto.ECKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.TypeEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;

/**
 * The oracle dies after broadcasting a sync and before recording its receipt, then starts again:
 * the chain applies the sync exactly once and the restarted oracle resolves the SUBMITTED step to
 * CONFIRMED from the receipt instead of sending again.
 */
class OracleRestartIT {

  private static final Duration WAIT = Duration.ofSeconds(45);
  private static final BigInteger ONE_ETH = BigInteger.TEN.pow(18);

  private static OracleSyncIT.Infra infra;

  /** Thrown by the hook: an Error ends the scheduled sync task for good, like a crash would. */
  static final class SimulatedCrash extends Error {
    SimulatedCrash() {
      super("simulated crash between broadcast and receipt");
    }
  }

  private final CountDownLatch crashed = new CountDownLatch(1);
  private final AtomicReference<SentTx> broadcast = new AtomicReference<>();

  /** Crashes the sync thread right after the first broadcast. */
  private final AfterBroadcast crashAfterFirstBroadcast =
      (user, tx) -> {
        if (broadcast.compareAndSet(null, tx)) {
          crashed.countDown();
          throw new SimulatedCrash();
        }
      };

  @BeforeAll
  static void startInfra() {
    infra = OracleSyncIT.Infra.start();
  }

  @AfterAll
  static void stopInfra() {
    if (infra != null) {
      infra.close();
    }
  }

  @Test
  void aSyncBroadcastBeforeACrashIsAppliedOnceAndResolvedAfterRestart() throws Exception {
    String user = EthKeys.newAddress();
    infra.feeVaultAsAccount1().depositETH(user, ONE_ETH).send();
    ECKey key = new ECKey();
    String btcAddress = Bip322TestSigner.p2wpkhAddress(key, BitcoinNetwork.REGTEST);

    String txHash;
    try (ConfigurableApplicationContext first = start(crashAfterFirstBroadcast)) {
      int port = first.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
      String message = OwnershipMessage.format(System.currentTimeMillis() / 1000, user);
      HttpResponse<String> bound =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/bindings"))
                      .header("Content-Type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
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
                                  + "\"}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(bound.statusCode()).as(bound.body()).isEqualTo(201);
      infra.esplora.fund(btcAddress, 70_000);
      infra.esplora.mine(1);

      assertThat(crashed.await(WAIT.toSeconds(), TimeUnit.SECONDS))
          .as("the oracle broadcast a sync")
          .isTrue();
      txHash = broadcast.get().hash();
      JdbcClient jdbc = first.getBean(JdbcClient.class);
      assertThat(statusesOf(jdbc, txHash)).containsExactly("SUBMITTED");
      // The node mined it: the chain holds the new balance, the oracle's log does not know yet.
      await().atMost(WAIT).until(() -> lastSats(user) == 70_000);
      assertThat(statusesOf(jdbc, txHash)).containsExactly("SUBMITTED");
    }

    try (ConfigurableApplicationContext second = start(null)) {
      JdbcClient jdbc = second.getBean(JdbcClient.class);
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> assertThat(statusesOf(jdbc, txHash)).containsExactly("SUBMITTED", "CONFIRMED"));
      assertThat(
              jdbc.sql(
                      "select detail from oracle_operations_log where tx_hash = :tx"
                          + " and status = 'CONFIRMED'")
                  .param("tx", txHash)
                  .query(String.class)
                  .single())
          .contains("resolved after the fact");
      // Nothing is sent again: one submission for the user, one Synced event on-chain.
      await()
          .during(Duration.ofSeconds(1))
          .atMost(WAIT)
          .until(
              () ->
                  jdbc.sql(
                              "select count(*) from oracle_operations_log where eth_address = :u"
                                  + " and status = 'SUBMITTED'")
                          .param("u", user)
                          .query(Long.class)
                          .single()
                      == 1);
      assertThat(syncedEventsOf(user)).isEqualTo(1);
      assertThat(lastSats(user)).isEqualTo(70_000);
    }
  }

  /**
   * Starts the service against the shared components, with {@code hook} registered as its
   * AfterBroadcast bean when given (registered directly, not by component scanning, so no other
   * context ever sees it).
   */
  private static ConfigurableApplicationContext start(AfterBroadcast hook) {
    Map<String, String> properties = new HashMap<>();
    properties.put("server.port", "0");
    properties.put("spring.kafka.bootstrap-servers", infra.kafka.getBrokersAsString());
    properties.put(
        "spring.datasource.url",
        infra.postgres.getJdbcUrl("postgres", "postgres") + "&currentSchema=oracle");
    properties.put("spring.datasource.username", "postgres");
    properties.put("spring.datasource.password", "postgres");
    properties.put("rbtc.chain.rpc-url", infra.anvil.rpcUrl());
    properties.put("rbtc.chain.id", String.valueOf(infra.deployment.chainId()));
    properties.put("rbtc.contracts.oracle-aggregator", infra.deployment.oracleAggregator());
    properties.put("rbtc.oracle.committee-key", AnvilNode.DEV_ACCOUNT_0_PRIVATE_KEY);
    properties.put("rbtc.reserves.signing-key", OracleContexts.RESERVES_SIGNING_KEY);
    properties.put("rbtc.oracle.cycle-interval", "200ms");
    properties.put("rbtc.tx.poll-interval", "50ms");
    properties.put("rbtc.bitcoin.esplora-urls", infra.esplora.baseUrl());
    properties.put("rbtc.bitcoin.network", "regtest");
    SpringApplicationBuilder builder = new SpringApplicationBuilder(OracleApplication.class);
    if (hook != null) {
      builder.initializers(
          context -> context.getBeanFactory().registerSingleton("afterBroadcast", hook));
    }
    // As command-line arguments: they take precedence over application.yml's local defaults.
    return builder.run(
        properties.entrySet().stream()
            .map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new));
  }

  private static List<String> statusesOf(JdbcClient jdbc, String txHash) {
    return jdbc.sql("select status from oracle_operations_log where tx_hash = :tx order by id")
        .param("tx", txHash)
        .query(String.class)
        .list();
  }

  private static long lastSats(String user) throws Exception {
    return infra.aggregator().lastSats(user).send().longValueExact();
  }

  private static int syncedEventsOf(String user) throws Exception {
    EthFilter filter =
        new EthFilter(
            DefaultBlockParameter.valueOf(BigInteger.ZERO),
            DefaultBlockParameterName.LATEST,
            infra.deployment.oracleAggregator());
    filter.addSingleTopic(EventEncoder.encode(OracleAggregator.SYNCED_EVENT));
    filter.addSingleTopic("0x" + TypeEncoder.encode(new Address(user)));
    return infra.web3j.ethGetLogs(filter).send().getLogs().size();
  }
}
