package com.reservebtc.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.reservebtc.contracts.anvil.AnvilNode;
import com.reservebtc.contracts.deploy.DeploymentParameters;
import com.reservebtc.contracts.deploy.ProtocolDeployer;
import com.reservebtc.contracts.deploy.ProtocolDeployment;
import com.reservebtc.contracts.generated.FeeVault;
import com.reservebtc.contracts.generated.OracleAggregator;
import com.reservebtc.esplora.EsploraSimulator;
import com.reservebtc.esplora.FaultMode;
import com.reservebtc.esplora.FaultRule;
import com.reservebtc.oracle.ownership.Bip137VerifierTestSupport;
import com.reservebtc.oracle.ownership.OwnershipMessage;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.BindingEvent;
import com.reservebtc.schemas.avro.BindingKind;
import com.reservebtc.schemas.avro.BtcBalanceObservation;
import com.reservebtc.schemas.avro.OperationStatus;
import com.reservebtc.schemas.avro.OracleOperation;
import com.reservebtc.schemas.serde.AvroValueDeserializer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.base.ScriptType;
import org.bitcoinj.crypto.ECKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.Transfer;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.utils.Convert;

/**
 * The oracle against real components: Anvil with the deployed protocol, the Esplora simulator, an
 * embedded KRaft broker and an embedded Postgres.
 */
// Declared before @SpringBootTest so its after-all runs after Spring closed the context: the
// service stops while the broker, database and chain are still up.
@ExtendWith(OracleSyncIT.StopInfraAfterContext.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class OracleSyncIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final BigInteger ONE_ETH = BigInteger.TEN.pow(18);
  private static final BigInteger PREPAY_WEI = BigInteger.TEN.pow(15);

  private static Infra infra;

  @Autowired private JdbcClient jdbc;
  @LocalServerPort private int port;

  private final HttpClient http = HttpClient.newHttpClient();
  private TopicRecorder recorder;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    infra = Infra.start();
    registry.add("spring.kafka.bootstrap-servers", infra.kafka::getBrokersAsString);
    registry.add(
        "spring.datasource.url",
        () -> infra.postgres.getJdbcUrl("postgres", "postgres") + "&currentSchema=oracle");
    registry.add("spring.datasource.username", () -> "postgres");
    registry.add("spring.datasource.password", () -> "postgres");
    registry.add("rbtc.chain.rpc-url", infra.anvil::rpcUrl);
    registry.add("rbtc.chain.id", () -> infra.deployment.chainId());
    registry.add("rbtc.contracts.oracle-aggregator", () -> infra.deployment.oracleAggregator());
    registry.add("rbtc.oracle.committee-key", () -> AnvilNode.DEV_ACCOUNT_0_PRIVATE_KEY);
    registry.add("rbtc.oracle.cycle-interval", () -> "200ms");
    registry.add("rbtc.oracle.receipt-poll-interval", () -> "50ms");
    registry.add("rbtc.bitcoin.esplora-urls", infra.esplora::baseUrl);
    registry.add("rbtc.bitcoin.network", () -> "regtest");
    registry.add("rbtc.bitcoin.min-confirmations", () -> "1");
    registry.add("rbtc.bitcoin.request-timeout", () -> "1s");
    // The dev prepay covers exactly the fixed fee: enough to prove it works, too little for any
    // upward sync (which also pays 1 % of its value), so the top-up path stays testable.
    registry.add("rbtc.oracle.registration-prepay-wei", () -> PREPAY_WEI.toString());
  }

  @BeforeAll
  void startRecorder() {
    recorder = new TopicRecorder(infra.kafka.getBrokersAsString());
  }

  @AfterAll
  void stopRecorder() {
    if (recorder != null) {
      recorder.close();
    }
  }

  /** Stops the components after the Spring context was closed (see the class annotations). */
  static final class StopInfraAfterContext implements AfterAllCallback {
    @Override
    public void afterAll(ExtensionContext extensionContext) {
      if (infra != null) {
        infra.close();
        infra = null;
      }
    }
  }

  @Test
  void syncsConfirmedBalanceSplittingAboveTheFeeCapAndFollowsASpend() throws Exception {
    String user = newEthAddress();
    depositFees(user, ONE_ETH);
    ECKey btcKey = new ECKey();
    String btcAddress = btcKey.toAddress(ScriptType.P2WPKH, BitcoinNetwork.REGTEST).toString();

    HttpResponse<String> bound = bind(user, btcAddress, btcKey, user);
    assertThat(bound.statusCode()).as(bound.body()).isEqualTo(201);
    assertThat(bound.body()).contains("\"btcAddress\":\"" + btcAddress + "\"", "\"created\":true");
    HttpResponse<String> again = bind(user, btcAddress, btcKey, user);
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    assertThat(again.body()).contains("\"created\":false");

    // Unconfirmed coins never count.
    infra.esplora.fund(btcAddress, 1_250_000);
    await().during(Duration.ofMillis(800)).atMost(WAIT).until(() -> lastSats(user) == 0);

    infra.esplora.mine(1);
    await().atMost(WAIT).until(() -> lastSats(user) == 1_250_000);

    // 1,250,000 sats exceed the 900,000-sat cap of one sync: two absolute steps.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(statuses(user))
                    .containsSubsequence(
                        "SPLIT",
                        "PLANNED",
                        "SUBMITTED",
                        "CONFIRMED",
                        "PLANNED",
                        "SUBMITTED",
                        "CONFIRMED"));
    assertThat(
            jdbc.sql(
                    "select target_sats from oracle_operations_log where eth_address = :u"
                        + " and status = 'CONFIRMED' order by id")
                .param("u", user)
                .query(Long.class)
                .list())
        .containsExactly(900_000L, 1_250_000L);
    assertThat(
            jdbc.sql(
                    "select count(*) from oracle_operations_log where eth_address = :u"
                        + " and status in ('SUBMITTED','CONFIRMED') and (tx_hash is null or nonce is null)")
                .param("u", user)
                .query(Long.class)
                .single())
        .isZero();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(recorder.values(Topics.ORACLE_BINDINGS.name(), user, BindingEvent.class))
                  .anySatisfy(
                      e -> {
                        assertThat(e.getKind()).isEqualTo(BindingKind.BOUND);
                        assertThat(e.getBtcAddress()).isEqualTo(btcAddress);
                        assertThat(e.getSignatureScheme()).isEqualTo("BIP137");
                      });
              assertThat(
                      recorder.values(
                          Topics.ORACLE_BTC_BALANCES.name(), user, BtcBalanceObservation.class))
                  .anySatisfy(o -> assertThat(o.getConfirmedSats()).isEqualTo(1_250_000L));
              assertThat(
                      recorder
                          .values(Topics.ORACLE_OPERATIONS.name(), user, OracleOperation.class)
                          .stream()
                          .filter(o -> o.getStatus() == OperationStatus.CONFIRMED)
                          .map(OracleOperation::getTargetSats))
                  .containsExactly(900_000L, 1_250_000L);
            });

    assertThat(
            jdbc.sql(
                    "select coalesce(sum(operations), 0) from oracle_operations_stats"
                        + " where status = 'CONFIRMED'")
                .query(Long.class)
                .single())
        .isGreaterThanOrEqualTo(2);

    infra.esplora.spend(btcAddress, 250_000);
    infra.esplora.mine(1);
    await().atMost(WAIT).until(() -> lastSats(user) == 1_000_000);

    HttpResponse<String> operations =
        get("/api/operations?address=" + user.toUpperCase().replace("0X", "0x") + "&limit=3");
    assertThat(operations.statusCode()).isEqualTo(200);
    assertThat(operations.body()).contains("\"status\":\"CONFIRMED\"", "\"targetSats\":1000000");
  }

  @Test
  void neverSyncsWhileEsploraFailsAndResumesAfterwards() throws Exception {
    String user = newEthAddress();
    depositFees(user, ONE_ETH);
    ECKey btcKey = new ECKey();
    String btcAddress = btcKey.toAddress(ScriptType.P2PKH, BitcoinNetwork.REGTEST).toString();
    assertThat(bind(user, btcAddress, btcKey, user).statusCode()).isEqualTo(201);
    infra.esplora.fund(btcAddress, 100_000);
    infra.esplora.mine(1);
    await().atMost(WAIT).until(() -> lastSats(user) == 100_000);

    try {
      infra.esplora.setFault(FaultRule.of(FaultMode.HTTP500));
      infra.esplora.fund(btcAddress, 50_000);
      infra.esplora.mine(1);
      long skipsBefore = count(user, "SKIPPED");
      await().atMost(WAIT).until(() -> count(user, "SKIPPED") > skipsBefore);
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(
                          recorder.values(
                              Topics.ORACLE_BTC_BALANCES.name(), user, BtcBalanceObservation.class))
                      .anySatisfy(
                          o -> {
                            assertThat(o.getConfirmedSats()).isNull();
                            assertThat(o.getAgreed()).isFalse();
                            assertThat(o.getDetail()).contains("500");
                          }));
      await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> lastSats(user) == 100_000);

      infra.esplora.clearFault();
      await().atMost(WAIT).until(() -> lastSats(user) == 150_000);

      infra.esplora.setFault(FaultRule.of(FaultMode.TIMEOUT).withDelayMs(2_000));
      infra.esplora.spend(btcAddress, 150_000);
      infra.esplora.mine(1);
      await()
          .atMost(WAIT)
          .until(
              () ->
                  jdbc.sql(
                              "select count(*) from oracle_operations_log where eth_address = :u"
                                  + " and status = 'SKIPPED' and detail like '%timed out%'")
                          .param("u", user)
                          .query(Long.class)
                          .single()
                      > 0);
      // The address now holds nothing, but a timed-out query is not zero: no burn.
      assertThat(lastSats(user)).isEqualTo(150_000);
    } finally {
      infra.esplora.clearFault();
    }
    await().atMost(WAIT).until(() -> lastSats(user) == 0);
  }

  @Test
  void recordsNeedsTopUpAndSendsNothingWithoutFees() throws Exception {
    String user = newEthAddress();
    ECKey btcKey = new ECKey();
    String btcAddress = Bip137VerifierTestSupport.p2shP2wpkh(btcKey);
    String message = OwnershipMessage.format(now(), user);
    HttpResponse<String> bound =
        post(
            "/api/bindings",
            bindingJson(
                user,
                btcAddress,
                message,
                Bip137VerifierTestSupport.signP2shP2wpkh(btcKey, message)));
    assertThat(bound.statusCode()).as(bound.body()).isEqualTo(201);
    infra.esplora.fund(btcAddress, 10_000);
    infra.esplora.mine(1);

    await().atMost(WAIT).until(() -> count(user, "NEEDS_TOP_UP") == 1);
    await()
        .during(Duration.ofMillis(800))
        .atMost(WAIT)
        .until(() -> count(user, "NEEDS_TOP_UP") == 1 && count(user, "SUBMITTED") == 0);
    assertThat(count(user, "PLANNED")).isZero();
    assertThat(lastSats(user)).isZero();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        recorder.values(
                            Topics.ORACLE_OPERATIONS.name(), user, OracleOperation.class))
                    .extracting(OracleOperation::getStatus)
                    .containsExactly(OperationStatus.NEEDS_TOP_UP));

    depositFees(user, ONE_ETH);
    await().atMost(WAIT).until(() -> lastSats(user) == 10_000);
  }

  @Test
  void recordsAnEmergencyBurnWhenADecreaseCannotPayItsFee() throws Exception {
    Credentials userKey = Credentials.create(Keys.createEcKeyPair());
    String user = userKey.getAddress().toLowerCase();
    depositFees(user, ONE_ETH);
    ECKey btcKey = new ECKey();
    String btcAddress = btcKey.toAddress(ScriptType.P2WPKH, BitcoinNetwork.REGTEST).toString();
    assertThat(bind(user, btcAddress, btcKey, user).statusCode()).isEqualTo(201);
    infra.esplora.fund(btcAddress, 40_000);
    infra.esplora.mine(1);
    await().atMost(WAIT).until(() -> lastSats(user) == 40_000);

    // The user takes every prepaid wei back; the next decrease cannot pay its fixed fee.
    Transfer.sendFunds(
            infra.web3j,
            Credentials.create(AnvilNode.DEV_ACCOUNT_1_PRIVATE_KEY),
            user,
            BigDecimal.ONE,
            Convert.Unit.ETHER)
        .send();
    FeeVault.load(
            infra.deployment.feeVault(),
            infra.web3j,
            new RawTransactionManager(infra.web3j, userKey, infra.deployment.chainId()),
            new DefaultGasProvider())
        .withdrawUnused()
        .send();
    infra.esplora.spend(btcAddress, 10_000);
    infra.esplora.mine(1);

    await().atMost(WAIT).until(() -> count(user, "EMERGENCY_BURN") == 1);
    assertThat(lastSats(user)).isZero();
    assertThat(
            jdbc.sql(
                    "select delta_sats from oracle_operations_log where eth_address = :u"
                        + " and status = 'EMERGENCY_BURN'")
                .param("u", user)
                .query(Long.class)
                .single())
        .isEqualTo(-40_000L);
    // The 30,000 sats still held cannot be minted again without fees.
    await().atMost(WAIT).until(() -> count(user, "NEEDS_TOP_UP") == 1);
  }

  @Test
  void rejectsBadBindingsWithoutWritingARow() throws Exception {
    String user = newEthAddress();
    String otherUser = newEthAddress();
    ECKey btcKey = new ECKey();
    String btcAddress = btcKey.toAddress(ScriptType.P2WPKH, BitcoinNetwork.REGTEST).toString();
    String message = OwnershipMessage.format(now(), user);
    String signature = btcKey.signMessage(message, ScriptType.P2WPKH);
    long rowsBefore = bindingRows();

    assertError(post("/api/bindings", "{not json"), 400, "malformed_request");
    assertError(post("/api/bindings", "{}"), 400, "invalid_eth_address");
    assertError(
        post(
            "/api/bindings",
            bindingJson(
                user, btcAddress, message, new ECKey().signMessage(message, ScriptType.P2WPKH))),
        400,
        "invalid_signature");
    assertError(
        post("/api/bindings", bindingJson(otherUser, btcAddress, message, signature)),
        400,
        "address_mismatch");
    String stale = OwnershipMessage.format(now() - 3_700, user);
    assertError(
        post(
            "/api/bindings",
            bindingJson(user, btcAddress, stale, btcKey.signMessage(stale, ScriptType.P2WPKH))),
        400,
        "timestamp_out_of_window");
    String mainnet = btcKey.toAddress(ScriptType.P2WPKH, BitcoinNetwork.MAINNET).toString();
    assertError(
        post("/api/bindings", bindingJson(user, mainnet, message, signature)),
        400,
        "invalid_btc_address");
    assertError(
        post(
            "/api/bindings",
            bindingJson(user, btcAddress, message.replace("\n", "\r\n"), signature)),
        400,
        "invalid_message");
    assertThat(bindingRows()).isEqualTo(rowsBefore);

    HttpResponse<String> bound =
        post("/api/bindings", bindingJson(user, btcAddress, message, signature));
    assertThat(bound.statusCode()).as(bound.body()).isEqualTo(201);
    // The dev prepay (on in this test) funded the new user's fee vault from the committee.
    assertThat(bound.body()).containsPattern("\"prepayTxHash\":\"0x[0-9a-f]{64}\"");
    assertThat(infra.feeVaultAsAccount1().balanceOf(user).send()).isEqualTo(PREPAY_WEI);
    String otherMessage = OwnershipMessage.format(now(), otherUser);
    assertError(
        post(
            "/api/bindings",
            bindingJson(
                otherUser,
                btcAddress,
                otherMessage,
                btcKey.signMessage(otherMessage, ScriptType.P2WPKH))),
        409,
        "btc_address_already_bound");
    assertThat(
            jdbc.sql("select eth_address from bitcoin_addresses where btc_address = :a")
                .param("a", btcAddress)
                .query(String.class)
                .list())
        .containsExactly(user);
    assertError(get("/api/operations?address=0x1234"), 400, "invalid_parameter");
  }

  @Test
  void resolvesASubmissionLeftWithoutOutcome() {
    String user = newEthAddress();
    String unknownTx = "0x" + "ab".repeat(32);
    jdbc.sql(
            "insert into oracle_operations_log (operation_id, eth_address, status, target_sats,"
                + " tx_hash, nonce, detail) values (:id, :u, 'SUBMITTED', 5, :tx, 999999, 'left by a crash')")
        .param("id", UUID.randomUUID())
        .param("u", user)
        .param("tx", unknownTx)
        .update();

    await()
        .atMost(WAIT)
        .until(
            () ->
                jdbc.sql(
                            "select count(*) from oracle_operations_log where tx_hash = :tx and status = 'FAILED'")
                        .param("tx", unknownTx)
                        .query(Long.class)
                        .single()
                    == 1);
  }

  // ---- helpers ---------------------------------------------------------------------------

  private HttpResponse<String> bind(String user, String btcAddress, ECKey key, String namedUser)
      throws IOException, InterruptedException {
    String message = OwnershipMessage.format(now(), namedUser);
    ScriptType type = btcAddress.startsWith("bcrt1") ? ScriptType.P2WPKH : ScriptType.P2PKH;
    return post(
        "/api/bindings", bindingJson(user, btcAddress, message, key.signMessage(message, type)));
  }

  private static String bindingJson(String eth, String btc, String message, String signature) {
    return "{\"ethAddress\":\""
        + eth
        + "\",\"btcAddress\":\""
        + btc
        + "\",\"message\":\""
        + message.replace("\r", "\\r").replace("\n", "\\n")
        + "\",\"signature\":\""
        + signature
        + "\"}";
  }

  private HttpResponse<String> post(String path, String body)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void assertError(HttpResponse<String> response, int status, String error) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).contains("json"));
    assertThat(response.body()).contains("\"error\":\"" + error + "\"", "\"message\":");
  }

  private List<String> statuses(String user) {
    return jdbc.sql("select status from oracle_operations_log where eth_address = :u order by id")
        .param("u", user)
        .query(String.class)
        .list();
  }

  private long count(String user, String status) {
    return jdbc.sql(
            "select count(*) from oracle_operations_log where eth_address = :u and status = :s")
        .param("u", user)
        .param("s", status)
        .query(Long.class)
        .single();
  }

  private long bindingRows() {
    return jdbc.sql("select count(*) from bitcoin_addresses").query(Long.class).single();
  }

  private static long lastSats(String user) throws Exception {
    return infra.aggregator().lastSats(user).send().longValueExact();
  }

  private static void depositFees(String user, BigInteger wei) throws Exception {
    infra.feeVaultAsAccount1().depositETH(user, wei).send();
  }

  private static String newEthAddress() {
    try {
      return Credentials.create(Keys.createEcKeyPair()).getAddress().toLowerCase();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  /** The real components, started once for the class and stopped by PID / close. */
  static final class Infra implements AutoCloseable {
    final EmbeddedKafkaKraftBroker kafka;
    final EmbeddedPostgres postgres;
    final AnvilNode anvil;
    final Web3j web3j;
    final ProtocolDeployment deployment;
    final EsploraSimulator esplora;

    private Infra(
        EmbeddedKafkaKraftBroker kafka,
        EmbeddedPostgres postgres,
        AnvilNode anvil,
        Web3j web3j,
        ProtocolDeployment deployment,
        EsploraSimulator esplora) {
      this.kafka = kafka;
      this.postgres = postgres;
      this.anvil = anvil;
      this.web3j = web3j;
      this.deployment = deployment;
      this.esplora = esplora;
    }

    /** Starts the broker, the database and the chain in parallel; on failure stops what started. */
    static Infra start() {
      CompletableFuture<EmbeddedPostgres> postgres =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return EmbeddedPostgres.builder().start();
                } catch (IOException e) {
                  throw new UncheckedIOException("could not start embedded Postgres", e);
                }
              });
      CompletableFuture<AnvilNode> anvil = CompletableFuture.supplyAsync(AnvilNode::start);
      EmbeddedKafkaKraftBroker kafka =
          new EmbeddedKafkaKraftBroker(
              1, 1, Topics.all().stream().map(t -> t.name()).toArray(String[]::new));
      EsploraSimulator esplora = null;
      Web3j web3j = null;
      try {
        kafka.kafkaPorts(0);
        kafka.afterPropertiesSet();
        web3j = Web3j.build(new HttpService(anvil.join().rpcUrl()));
        ProtocolDeployment deployment =
            new ProtocolDeployer(web3j, Credentials.create(AnvilNode.DEV_ACCOUNT_0_PRIVATE_KEY))
                .deploy(DeploymentParameters.defaults(AnvilNode.DEV_ACCOUNT_0_ADDRESS));
        esplora = new EsploraSimulator().start();
        return new Infra(kafka, postgres.join(), anvil.join(), web3j, deployment, esplora);
      } catch (RuntimeException e) {
        if (esplora != null) {
          esplora.close();
        }
        if (web3j != null) {
          web3j.shutdown();
        }
        anvil.thenAccept(AnvilNode::close);
        postgres.thenAccept(
            pg -> {
              try {
                pg.close();
              } catch (IOException closeFailure) {
                e.addSuppressed(closeFailure);
              }
            });
        kafka.destroy();
        throw e;
      }
    }

    OracleAggregator aggregator() {
      return OracleAggregator.load(
          deployment.oracleAggregator(),
          web3j,
          new ReadonlyTransactionManager(web3j, AnvilNode.DEV_ACCOUNT_1_ADDRESS),
          new DefaultGasProvider());
    }

    FeeVault feeVaultAsAccount1() {
      return FeeVault.load(
          deployment.feeVault(),
          web3j,
          new RawTransactionManager(
              web3j, Credentials.create(AnvilNode.DEV_ACCOUNT_1_PRIVATE_KEY), deployment.chainId()),
          new DefaultGasProvider());
    }

    @Override
    public void close() {
      esplora.close();
      web3j.shutdown();
      anvil.close();
      try {
        postgres.close();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      } finally {
        kafka.destroy();
      }
    }
  }

  /** Reads the oracle's topics from the beginning on a background thread. */
  static final class TopicRecorder implements AutoCloseable {
    private final List<ConsumerRecord<String, SpecificRecord>> records =
        new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    TopicRecorder(String bootstrap) {
      Properties props = new Properties();
      props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      props.put(ConsumerConfig.GROUP_ID_CONFIG, "oracle-it-" + UUID.randomUUID());
      props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      KafkaConsumer<String, SpecificRecord> consumer =
          new KafkaConsumer<>(props, new StringDeserializer(), new AvroValueDeserializer());
      consumer.subscribe(
          List.of(
              Topics.ORACLE_BINDINGS.name(),
              Topics.ORACLE_BTC_BALANCES.name(),
              Topics.ORACLE_OPERATIONS.name()));
      thread =
          new Thread(
              () -> {
                try (consumer) {
                  while (running.get()) {
                    consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                  }
                }
              },
              "topic-recorder");
      thread.setDaemon(true);
      thread.start();
    }

    <V> List<V> values(String topic, String key, Class<V> type) {
      return records.stream()
          .filter(r -> r.topic().equals(topic) && key.equals(r.key()))
          .map(r -> type.cast(r.value()))
          .toList();
    }

    @Override
    public void close() {
      running.set(false);
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
