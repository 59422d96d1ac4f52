package com.reservebtc.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.reservebtc.contracts.anvil.AnvilNode;
import com.reservebtc.oracle.ownership.Bip322TestSigner;
import com.reservebtc.oracle.ownership.EthKeys;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.BtcBalanceObservation;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.crypto.ECKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.web3j.protocol.Web3jService;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;

/**
 * The packaged oracle ({@code java -jar oracle-service.jar}) is killed with SIGKILL while a sync it
 * broadcast waits in the node's mempool — after the SUBMITTED step was written, before any receipt
 * — then started again as a new process. The restarted oracle sends nothing while that transaction
 * is pending, resolves the step to CONFIRMED once it is mined, and the chain holds exactly one
 * Synced event.
 *
 * <p>The kill needs no hook in the service: the test switches Anvil's automatic mining off, so the
 * broadcast transaction stays pending and the oracle stays in its receipt wait until it is killed.
 * Needs the repackaged jar, which {@code mvn verify} builds in the package phase before the
 * integration tests (system property {@code rbtc.oracle.jar}).
 */
class OracleProcessKillIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final BigInteger ONE_ETH = BigInteger.TEN.pow(18);
  private static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");

  private static OracleSyncIT.Infra infra;
  private static OracleSyncIT.TopicRecorder recorder;
  private static Web3jService rpc;

  private final List<OracleProcess> processes = new ArrayList<>();

  @BeforeAll
  static void startInfra() {
    infra = OracleSyncIT.Infra.start();
    recorder = new OracleSyncIT.TopicRecorder(infra.kafka.getBrokersAsString());
    rpc = new HttpService(infra.anvil.rpcUrl());
  }

  @AfterAll
  static void stopInfra() {
    if (recorder != null) {
      recorder.close();
    }
    if (infra != null) {
      infra.close();
    }
  }

  @AfterEach
  void stopProcesses() throws Exception {
    for (OracleProcess process : processes) {
      process.close();
    }
    anvil("evm_setAutomine", true);
  }

  @Test
  void aSyncInFlightWhenTheProcessIsKilledIsAppliedOnceAndResolvedByTheNextProcess()
      throws Exception {
    String user = EthKeys.newAddress();
    infra.feeVaultAsAccount1().depositETH(user, ONE_ETH).send();
    ECKey key = new ECKey();
    String btc = Bip322TestSigner.p2wpkhAddress(key, BitcoinNetwork.REGTEST);
    JdbcClient jdbc = JdbcClient.create(infra.postgres.getPostgresDatabase());

    OracleProcess first = start("first");
    var bound = OracleContexts.bindP2wpkh(first.awaitReady(), user, key);
    assertThat(bound.statusCode()).as(bound.body()).isEqualTo(201);

    // From here on, transactions wait in Anvil's mempool until the test mines them.
    anvil("evm_setAutomine", false);
    infra.esplora.fund(btc, 70_000);
    infra.esplora.mine(1);
    String tx =
        await()
            .atMost(WAIT)
            .until(
                () ->
                    jdbc.sql(
                            "select tx_hash from oracle.oracle_operations_log"
                                + " where eth_address = :u and status = 'SUBMITTED'")
                        .param("u", user)
                        .query(String.class)
                        .optional()
                        .orElse(null),
                Objects::nonNull);
    await()
        .atMost(WAIT)
        .until(() -> infra.web3j.ethGetTransactionByHash(tx).send().getTransaction().isPresent());
    assertThat(infra.web3j.ethGetTransactionReceipt(tx).send().getTransactionReceipt()).isEmpty();

    assertThat(first.kill()).as("exit status of a SIGKILLed JVM").isEqualTo(137);
    assertThat(statusesOf(jdbc, tx)).containsExactly("SUBMITTED");
    assertThat(lastSats(user)).isZero();

    // A new process, the transaction still pending: it observes, but sends nothing new.
    long observationsBefore = observationsOf(user);
    start("second").awaitReady();
    await().atMost(WAIT).until(() -> observationsOf(user) >= observationsBefore + 2);
    assertThat(statusesOf(jdbc, tx)).containsExactly("SUBMITTED");
    assertThat(submissionsOf(jdbc, user)).isEqualTo(1);
    assertThat(pendingTransactionsOfCommittee()).isEqualTo(1);

    anvil("evm_mine");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(statusesOf(jdbc, tx)).containsExactly("SUBMITTED", "CONFIRMED"));
    assertThat(
            jdbc.sql(
                    "select detail from oracle.oracle_operations_log where tx_hash = :tx"
                        + " and status = 'CONFIRMED'")
                .param("tx", tx)
                .query(String.class)
                .single())
        .contains("resolved after the fact");
    assertThat(lastSats(user)).isEqualTo(70_000);
    // Mining stays manual: a second send would sit in the mempool and be counted here.
    await()
        .during(Duration.ofSeconds(1))
        .atMost(WAIT)
        .until(() -> submissionsOf(jdbc, user) == 1 && pendingTransactionsOfCommittee() == 0);
    assertThat(infra.syncedEvents(user)).hasSize(1);
  }

  // ---- helpers ---------------------------------------------------------------------------

  private OracleProcess start(String name) throws IOException {
    String jarProperty = System.getProperty("rbtc.oracle.jar");
    assertThat(jarProperty)
        .as("system property rbtc.oracle.jar (set by the module's Failsafe configuration)")
        .isNotBlank();
    Path jar = Path.of(jarProperty);
    assertThat(jar)
        .as("the packaged service (run mvn verify, which packages before the integration tests)")
        .isRegularFile();
    Map<String, String> settings =
        OracleContexts.settings(
            infra, infra.postgres.getJdbcUrl("postgres", "postgres") + "&currentSchema=oracle");
    // The key goes through the environment, as in production, not on the command line.
    String committeeKey = settings.remove("rbtc.oracle.committee-key");
    String attestationKey = settings.remove("rbtc.reserves.signing-key");
    // What is tested is the resolution after a restart, not a replacement: the pending sync must
    // not come due for one while the test waits with it in the pool.
    settings.put("rbtc.tx.replace-after", "10m");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    command.addAll(List.of("-jar", jar.toString()));
    settings.forEach((k, v) -> command.add("--" + k + "=" + v));
    Path log = jar.resolveSibling("oracle-process-kill-it-" + name + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("RBTC_ORACLE_COMMITTEE_KEY", committeeKey);
    builder.environment().put("RBTC_RESERVES_SIGNING_KEY", attestationKey);
    OracleProcess process = new OracleProcess(builder.start(), log);
    processes.add(process);
    return process;
  }

  private static long observationsOf(String user) {
    return recorder
        .values(Topics.ORACLE_BTC_BALANCES.name(), user, BtcBalanceObservation.class)
        .size();
  }

  private static List<String> statusesOf(JdbcClient jdbc, String tx) {
    return jdbc.sql(
            "select status from oracle.oracle_operations_log where tx_hash = :tx order by id")
        .param("tx", tx)
        .query(String.class)
        .list();
  }

  private static long submissionsOf(JdbcClient jdbc, String user) {
    return jdbc.sql(
            "select count(*) from oracle.oracle_operations_log where eth_address = :u"
                + " and status = 'SUBMITTED'")
        .param("u", user)
        .query(Long.class)
        .single();
  }

  /** Transactions of the committee that the node holds but has not mined. */
  private static long pendingTransactionsOfCommittee() throws IOException {
    BigInteger pending =
        infra
            .web3j
            .ethGetTransactionCount(
                AnvilNode.DEV_ACCOUNT_0_ADDRESS, DefaultBlockParameterName.PENDING)
            .send()
            .getTransactionCount();
    BigInteger mined =
        infra
            .web3j
            .ethGetTransactionCount(
                AnvilNode.DEV_ACCOUNT_0_ADDRESS, DefaultBlockParameterName.LATEST)
            .send()
            .getTransactionCount();
    return pending.subtract(mined).longValueExact();
  }

  private static long lastSats(String user) throws Exception {
    return infra.aggregator().lastSats(user).send().longValueExact();
  }

  /** Calls one of Anvil's own RPC methods (mining control). */
  private static void anvil(String method, Object... params) throws IOException {
    VoidResponse response = new Request<>(method, List.of(params), rpc, VoidResponse.class).send();
    if (response.hasError()) {
      throw new IOException(method + " failed: " + response.getError().getMessage());
    }
  }

  /** One oracle JVM, its output in a log file; stopped by its own PID only. */
  private static final class OracleProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    OracleProcess(Process process, Path log) {
      this.process = process;
      this.log = log;
    }

    /** Waits until the service answers readiness; returns its HTTP port. */
    int awaitReady() {
      int port =
          await()
              .atMost(WAIT)
              .until(
                  () -> {
                    if (!process.isAlive()) {
                      throw new AssertionError(
                          "the oracle exited with " + process.exitValue() + ":\n" + tail());
                    }
                    Matcher m = PORT.matcher(Files.readString(log, StandardCharsets.UTF_8));
                    return m.find() ? Integer.parseInt(m.group(1)) : 0;
                  },
                  p -> p > 0);
      HttpClient http = HttpClient.newHttpClient();
      await()
          .atMost(WAIT)
          .until(
              () ->
                  http.send(
                              HttpRequest.newBuilder(
                                      URI.create(
                                          "http://127.0.0.1:"
                                              + port
                                              + "/actuator/health/readiness"))
                                  .build(),
                              HttpResponse.BodyHandlers.ofString())
                          .statusCode()
                      == 200);
      return port;
    }

    /** SIGKILL: no shutdown hook, no graceful stop. Returns the exit status. */
    int kill() throws InterruptedException {
      process.destroyForcibly();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the oracle died").isTrue();
      return process.exitValue();
    }

    private String tail() throws IOException {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** SIGTERM (graceful shutdown), SIGKILL if that takes over a minute. */
    @Override
    public void close() throws InterruptedException {
      if (!process.isAlive()) {
        return;
      }
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
