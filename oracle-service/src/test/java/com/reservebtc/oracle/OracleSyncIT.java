package com.reservebtc.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.reservebtc.contracts.anvil.AnvilNode;
import com.reservebtc.contracts.deploy.DeploymentParameters;
import com.reservebtc.contracts.deploy.ProtocolDeployer;
import com.reservebtc.contracts.deploy.ProtocolDeployment;
import com.reservebtc.contracts.generated.FeeVault;
import com.reservebtc.contracts.generated.OracleAggregator;
import com.reservebtc.contracts.generated.RBTCSynth;
import com.reservebtc.esplora.EsploraSimulator;
import com.reservebtc.esplora.FaultMode;
import com.reservebtc.esplora.FaultRule;
import com.reservebtc.oracle.ownership.Bip137VerifierTestSupport;
import com.reservebtc.oracle.ownership.Bip322TestSigner;
import com.reservebtc.oracle.ownership.EthKeys;
import com.reservebtc.oracle.ownership.OwnershipMessage;
import com.reservebtc.oracle.ownership.UnbindMessage;
import com.reservebtc.oracle.reserves.ProofRequest;
import com.reservebtc.reserves.verifier.Statement;
import com.reservebtc.reserves.verifier.Verifier;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.BindingEvent;
import com.reservebtc.schemas.avro.BindingKind;
import com.reservebtc.schemas.avro.BtcBalanceObservation;
import com.reservebtc.schemas.avro.OperationStatus;
import com.reservebtc.schemas.avro.OracleOperation;
import com.reservebtc.schemas.avro.ReserveAttestation;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
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
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.TypeEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.Transfer;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.utils.Convert;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

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
    // Small batches: this class's users span several JSON-RPC batches of lastSats reads a cycle.
    registry.add("rbtc.chain.read-batch-size", () -> "3");
    registry.add("rbtc.contracts.oracle-aggregator", () -> infra.deployment.oracleAggregator());
    registry.add("rbtc.oracle.committee-key", () -> AnvilNode.DEV_ACCOUNT_0_PRIVATE_KEY);
    registry.add("rbtc.reserves.signing-key", () -> OracleContexts.RESERVES_SIGNING_KEY);
    registry.add("rbtc.oracle.cycle-interval", () -> "200ms");
    registry.add("rbtc.tx.poll-interval", () -> "50ms");
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

    // On the chain: the split as two mints (each within the cap), then a partial burn that keeps a
    // positive balance, each paying its fee from the vault; the token balance follows.
    assertThat(infra.syncedEvents(user))
        .extracting(
            e -> e.newBalanceSats.longValueExact(),
            e -> e.deltaSats.longValueExact(),
            e -> e.feeWei.signum())
        .containsExactly(
            tuple(900_000L, 900_000L, 1),
            tuple(1_250_000L, 350_000L, 1),
            tuple(1_000_000L, -250_000L, 1));
    assertThat(infra.synth().balanceOf(user).send()).isEqualTo(BigInteger.valueOf(1_000_000));
    assertThat(infra.aggregator().emergencyBurnExecuted(user).send()).isFalse();

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
    String user = EthKeys.remember(userKey.getEcKeyPair());
    depositFees(user, ONE_ETH);
    ECKey btcKey = new ECKey();
    String btcAddress = btcKey.toAddress(ScriptType.P2WPKH, BitcoinNetwork.REGTEST).toString();
    assertThat(bind(user, btcAddress, btcKey, user).statusCode()).isEqualTo(201);
    infra.esplora.fund(btcAddress, 40_000);
    infra.esplora.mine(1);
    await().atMost(WAIT).until(() -> lastSats(user) == 40_000);

    // The user takes every prepaid wei back; the next decrease cannot pay its fixed fee.
    new Transfer(
            infra.web3j,
            infra.transactions(Credentials.create(AnvilNode.DEV_ACCOUNT_1_PRIVATE_KEY)))
        .sendFunds(user, BigDecimal.ONE, Convert.Unit.ETHER)
        .send();
    FeeVault.load(
            infra.deployment.feeVault(),
            infra.web3j,
            infra.transactions(userKey),
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
        "wrong_network");
    assertError(
        post("/api/bindings", bindingJson(user, btcAddress + "\\u0000", message, signature)),
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
  void aSelfTransferLeftUnconfirmedWithAnEmptyVaultIsNeitherSyncedNorBurned() throws Exception {
    String user = newEthAddress();
    // With the dev prepay (PREPAY_WEI), exactly the fee of the first sync (+50,000 sats): the
    // vault is empty afterwards.
    depositFees(user, new BigInteger("1500000000000000").subtract(PREPAY_WEI));
    ECKey key = new ECKey();
    String btc = Bip322TestSigner.p2wpkhAddress(key, BitcoinNetwork.REGTEST);
    String message = OwnershipMessage.format(now(), user);
    assertThat(
            post(
                    "/api/bindings",
                    bindingJson(user, btc, message, Bip322TestSigner.signP2wpkh(key, message)))
                .statusCode())
        .isEqualTo(201);
    infra.esplora.fund(btc, 50_000);
    infra.esplora.mine(1);
    await().atMost(WAIT).until(() -> lastSats(user) == 50_000);
    assertThat(infra.feeVaultAsAccount1().balanceOf(user).send()).isZero();
    long syncedBefore = infra.syncedEvents(user).size();

    // The wallet moves the whole balance to the same address; it sits in the mempool, where the
    // spent output has already left /utxo.
    infra.esplora.spend(btc, 50_000, btc, 0);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        recorder.values(
                            Topics.ORACLE_BTC_BALANCES.name(), user, BtcBalanceObservation.class))
                    .anySatisfy(
                        o -> {
                          assertThat(o.getConfirmedSats()).isEqualTo(50_000L);
                          assertThat(o.getPendingSpentSats()).isEqualTo(50_000L);
                          assertThat(o.getVerified()).isTrue();
                        }));
    await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> lastSats(user) == 50_000);

    // Confirmed: the same balance on the same address, still in sync, and no fee was needed.
    infra.esplora.mine(1);
    await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> lastSats(user) == 50_000);
    assertThat(infra.syncedEvents(user)).hasSize((int) syncedBefore);
    assertThat(infra.aggregator().emergencyBurnExecuted(user).send()).isFalse();
    assertThat(count(user, "EMERGENCY_BURN") + count(user, "NEEDS_TOP_UP")).isZero();
  }

  @Test
  void refusesABindingTheEvmAddressDidNotSignAndSpendsNoFeeOfIt() throws Exception {
    String victim = newEthAddress();
    depositFees(victim, ONE_ETH);
    String attacker = newEthAddress();
    ECKey attackerBtc = new ECKey();
    String coins = Bip322TestSigner.p2wpkhAddress(attackerBtc, BitcoinNetwork.REGTEST);
    infra.esplora.fund(coins, 300_000);
    infra.esplora.mine(1);
    String message = OwnershipMessage.format(now(), victim);
    String btcSignature = Bip322TestSigner.signP2wpkh(attackerBtc, message);
    long rowsBefore = bindingRows();

    assertError(
        post("/api/bindings", bindingJson(victim, coins, message, btcSignature, null)),
        400,
        "eth_signature_required");
    assertError(
        post(
            "/api/bindings",
            bindingJson(victim, coins, message, btcSignature, EthKeys.sign(attacker, message))),
        400,
        "invalid_eth_signature");

    assertThat(bindingRows()).isEqualTo(rowsBefore);
    // Cycles run every 200 ms: nothing is synced for the victim, so no fee leaves the vault.
    await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> lastSats(victim) == 0);
    assertThat(infra.feeVaultAsAccount1().balanceOf(victim).send()).isEqualTo(ONE_ETH);
    assertThat(statuses(victim)).isEmpty();
  }

  @Test
  void theEvmOwnerRemovesABindingItNeverConsentedTo() throws Exception {
    String victim = newEthAddress();
    depositFees(victim, ONE_ETH);
    ECKey attackerBtc = new ECKey();
    String coins = Bip322TestSigner.p2wpkhAddress(attackerBtc, BitcoinNetwork.REGTEST);
    // A binding stored before both keys were required has no EVM signature: only the Bitcoin key
    // consented. The victim must be able to remove it with their own key alone.
    long signedAt = now() - 30;
    jdbc.sql(
            """
            insert into bitcoin_addresses
              (eth_address, btc_address, network, signature_scheme, signed_message, signature,
               message_timestamp, verified_at, monitoring_started_at, is_monitoring, created_at,
               published_at)
            values (:eth, :btc, 'regtest', 'BIP322_SIMPLE', :message, 'legacy', :ts, now(), now(),
                    true, now(), now())
            """)
        .param("eth", victim)
        .param("btc", coins)
        .param("message", OwnershipMessage.format(signedAt, victim))
        .param("ts", signedAt)
        .update();
    infra.esplora.fund(coins, 200_000);
    infra.esplora.mine(1);
    await().atMost(WAIT).until(() -> lastSats(victim) == 200_000);

    String unbind = UnbindMessage.format(now(), victim, coins);
    assertError(
        delete(
            "/api/bindings/" + coins, ethUnbindJson(unbind, EthKeys.sign(newEthAddress(), unbind))),
        400,
        "invalid_eth_signature");
    HttpResponse<String> removed =
        delete("/api/bindings/" + coins, ethUnbindJson(unbind, EthKeys.sign(victim, unbind)));
    assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
    assertThat(removed.body()).contains("\"signatureScheme\":\"EIP191\"", "\"unbound\":true");
    await().atMost(WAIT).until(() -> lastSats(victim) == 0);
  }

  @Test
  void aCapturedBindingRequestCannotBeReplayedAfterTheAddressWasUnbound() throws Exception {
    String user = newEthAddress();
    ECKey key = new ECKey();
    String btc = Bip322TestSigner.p2wpkhAddress(key, BitcoinNetwork.REGTEST);
    String message = OwnershipMessage.format(now() - 10, user);
    String captured = bindingJson(user, btc, message, Bip322TestSigner.signP2wpkh(key, message));
    assertThat(post("/api/bindings", captured).statusCode()).isEqualTo(201);

    String unbind = UnbindMessage.format(now(), user, btc);
    HttpResponse<String> unbound =
        delete(
            "/api/bindings/" + btc, unbindJson(unbind, Bip322TestSigner.signP2wpkh(key, unbind)));
    assertThat(unbound.statusCode()).as(unbound.body()).isEqualTo(200);

    // Still inside its one-hour window, but older than the unbinding: refused.
    assertError(post("/api/bindings", captured), 400, "stale_request");
    assertThat(get("/api/bindings?address=" + user).body()).isEqualTo("[]");
    // The same unbind request cannot be replayed either, once the address is bound again.
    String fresh = OwnershipMessage.format(now() + 1, user);
    assertThat(
            post(
                    "/api/bindings",
                    bindingJson(user, btc, fresh, Bip322TestSigner.signP2wpkh(key, fresh)))
                .statusCode())
        .isEqualTo(201);
    assertError(
        delete(
            "/api/bindings/" + btc, unbindJson(unbind, Bip322TestSigner.signP2wpkh(key, unbind))),
        400,
        "stale_request");
  }

  @Test
  void bindsWithBip322AndUnbindsSoTheNextCycleSyncsWithoutTheAddress() throws Exception {
    String user = newEthAddress();
    depositFees(user, ONE_ETH);
    ECKey segwitKey = new ECKey();
    ECKey taprootKey = new ECKey();
    String segwit = Bip322TestSigner.p2wpkhAddress(segwitKey, BitcoinNetwork.REGTEST);
    String taproot = Bip322TestSigner.p2trAddress(taprootKey, BitcoinNetwork.REGTEST);
    // Signed a little earlier: an unbind request must be signed after the binding it removes.
    String message = OwnershipMessage.format(now() - 5, user);

    HttpResponse<String> boundSegwit =
        post(
            "/api/bindings",
            bindingJson(user, segwit, message, Bip322TestSigner.signP2wpkh(segwitKey, message)));
    assertThat(boundSegwit.statusCode()).as(boundSegwit.body()).isEqualTo(201);
    assertThat(boundSegwit.body()).contains("\"signatureScheme\":\"BIP322_SIMPLE\"");
    HttpResponse<String> boundTaproot =
        post(
            "/api/bindings",
            bindingJson(
                user, taproot, message, "smp" + Bip322TestSigner.signP2tr(taprootKey, message)));
    assertThat(boundTaproot.statusCode()).as(boundTaproot.body()).isEqualTo(201);
    assertThat(boundTaproot.body()).contains("\"signatureScheme\":\"BIP322_SIMPLE\"");

    infra.esplora.fund(segwit, 40_000);
    infra.esplora.fund(taproot, 60_000);
    infra.esplora.mine(1);
    await().atMost(WAIT).until(() -> lastSats(user) == 100_000);

    String unbindTaproot = UnbindMessage.format(now(), user, taproot);
    long rowsBefore = bindingRows();
    assertError(
        delete(
            "/api/bindings/" + taproot,
            unbindJson(unbindTaproot, Bip322TestSigner.signP2tr(new ECKey(), unbindTaproot))),
        400,
        "invalid_signature");
    String namingOther = UnbindMessage.format(now(), newEthAddress(), taproot);
    assertError(
        delete(
            "/api/bindings/" + taproot,
            unbindJson(namingOther, Bip322TestSigner.signP2tr(taprootKey, namingOther))),
        400,
        "address_mismatch");
    assertError(
        delete(
            "/api/bindings/" + taproot,
            unbindJson(message, Bip322TestSigner.signP2tr(taprootKey, message))),
        400,
        "invalid_message");
    String unknown = Bip322TestSigner.p2wpkhAddress(new ECKey(), BitcoinNetwork.REGTEST);
    String unbindUnknown = UnbindMessage.format(now(), user, unknown);
    assertError(
        delete(
            "/api/bindings/" + unknown,
            unbindJson(unbindUnknown, Bip322TestSigner.signP2wpkh(new ECKey(), unbindUnknown))),
        404,
        "binding_not_found");
    assertError(delete("/api/bindings/" + taproot, ""), 400, "malformed_request");
    assertThat(bindingRows()).isEqualTo(rowsBefore);

    HttpResponse<String> unbound =
        delete(
            "/api/bindings/" + taproot,
            unbindJson(unbindTaproot, Bip322TestSigner.signP2tr(taprootKey, unbindTaproot)));
    assertThat(unbound.statusCode()).as(unbound.body()).isEqualTo(200);
    assertThat(unbound.body())
        .contains(
            "\"btcAddress\":\"" + taproot + "\"",
            "\"ethAddress\":\"" + user + "\"",
            "\"signatureScheme\":\"BIP322_SIMPLE\"",
            "\"unbound\":true");
    assertThat(get("/api/bindings?address=" + user).body())
        .contains(segwit)
        .doesNotContain(taproot);
    // The next cycle syncs the user's target without the unbound address.
    await().atMost(WAIT).until(() -> lastSats(user) == 40_000);
    await().atMost(WAIT).until(() -> unsettledUnbindings(user) == 0);
    assertError(
        delete(
            "/api/bindings/" + taproot,
            unbindJson(unbindTaproot, Bip322TestSigner.signP2tr(taprootKey, unbindTaproot))),
        404,
        "binding_not_found");

    // The last address, with a BIP-137 signature: no binding is left and the balance goes to 0.
    String unbindSegwit = UnbindMessage.format(now(), user, segwit);
    HttpResponse<String> unboundLast =
        delete(
            "/api/bindings/" + segwit,
            unbindJson(unbindSegwit, segwitKey.signMessage(unbindSegwit, ScriptType.P2WPKH)));
    assertThat(unboundLast.statusCode()).as(unboundLast.body()).isEqualTo(200);
    assertThat(unboundLast.body()).contains("\"signatureScheme\":\"BIP137\"");
    await().atMost(WAIT).until(() -> lastSats(user) == 0);
    await().atMost(WAIT).until(() -> unsettledUnbindings(user) == 0);
    assertThat(
            jdbc.sql(
                    "select count(*) from bitcoin_address_unbindings where eth_address = :u"
                        + " and unbind_message like 'ReserveBTC Unbind Request%'")
                .param("u", user)
                .query(Long.class)
                .single())
        .isEqualTo(2);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(recorder.values(Topics.ORACLE_BINDINGS.name(), user, BindingEvent.class))
                    .extracting(BindingEvent::getKind, BindingEvent::getBtcAddress)
                    .containsExactlyInAnyOrder(
                        tuple(BindingKind.BOUND, segwit),
                        tuple(BindingKind.BOUND, taproot),
                        tuple(BindingKind.UNBOUND, taproot),
                        tuple(BindingKind.UNBOUND, segwit)));

    // The address is free again: another user can bind it.
    String other = newEthAddress();
    String otherMessage = OwnershipMessage.format(now(), other);
    HttpResponse<String> rebound =
        post(
            "/api/bindings",
            bindingJson(
                other, taproot, otherMessage, Bip322TestSigner.signP2tr(taprootKey, otherMessage)));
    assertThat(rebound.statusCode()).as(rebound.body()).isEqualTo(201);
  }

  @Test
  void signsAChainedAttestationAtEachNewTipWithProofsTheOfflineVerifierAccepts(@TempDir Path dir)
      throws Exception {
    String user = newEthAddress();
    depositFees(user, ONE_ETH);
    ECKey key = new ECKey();
    String btcAddress = Bip322TestSigner.p2wpkhAddress(key, BitcoinNetwork.REGTEST);
    String message = OwnershipMessage.format(now(), user);
    assertThat(
            post(
                    "/api/bindings",
                    bindingJson(
                        user, btcAddress, message, Bip322TestSigner.signP2wpkh(key, message)))
                .statusCode())
        .isEqualTo(201);
    infra.esplora.fund(btcAddress, 77_000);
    infra.esplora.mine(1);
    await().atMost(WAIT).until(() -> lastSats(user) == 77_000);
    long height = infra.esplora.mine(1).height();

    JsonNode latest =
        await()
            .atMost(WAIT)
            .until(
                () -> json(get("/api/reserves/latest")),
                s -> s != null && s.path("btcHeight").asLong() == height);
    long sequence = latest.get("sequence").asLong();
    String signer = OracleContexts.RESERVES_SIGNER.toLowerCase(java.util.Locale.ROOT);
    assertThat(latest.get("encoding").asString()).isEqualTo("rbtc-por-v2");
    assertThat(latest.get("signer").asString()).isEqualTo(signer);
    assertThat(latest.get("btcBlockHash").asString()).isEqualTo(infra.esplora.tip().hash());
    assertThat(latest.get("minConfirmations").asInt()).isEqualTo(1);
    assertThat(latest.get("leafCount").asLong()).isEqualTo(boundUsers());
    // The statement is what was signed; every figure shown is the statement's.
    Statement statement = Statement.parse(latest.get("statement").asString());
    assertThat(statement.sequence()).isEqualTo(sequence);
    assertThat(statement.merkleRoot()).isEqualTo(latest.get("merkleRoot").asString());
    assertThat(statement.reservesSats()).isEqualTo(latest.get("totalConfirmedSats").asLong());
    assertThat(statement.hash()).isEqualTo(latest.get("statementHash").asString());
    // Liabilities: the token's totalSupply at the block the statement names.
    BigInteger supply = new BigInteger(latest.get("synthTotalSupply").asString());
    assertThat(supply).isEqualTo(infra.synthTotalSupplyAt(latest.get("synthBlockNumber").asLong()));
    assertThat(new BigInteger(latest.get("differenceSats").asString()))
        .isEqualTo(BigInteger.valueOf(statement.reservesSats()).subtract(supply));
    assertThat(latest.get("backing").asString()).isEqualTo(statement.backing().name());

    // The public export holds what the tree needs and nothing about who is in it.
    HttpResponse<String> export = get("/api/reserves/" + sequence + "/export.jsonl");
    assertThat(export.statusCode()).isEqualTo(200);
    assertThat(export.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
    assertThat(export.body().lines()).hasSize(latest.get("leafCount").asInt());
    assertThat(export.body()).doesNotContain(user, btcAddress, "0014", "salt", "ethAddress");
    Path attestationFile = Files.writeString(dir.resolve("attestation.json"), latest.toString());
    Path exportFile = Files.writeString(dir.resolve("export.jsonl"), export.body());
    assertThat(
            verify(
                "export",
                "--signer",
                signer,
                "--attestation",
                attestationFile.toString(),
                exportFile.toString()))
        .contains("VERIFIED");

    // The leaf and its salt go to the address's own key only.
    String proofPath = "/api/reserves/proof?address=" + user;
    assertError(get(proofPath), 401, "signature_required");
    long signedAt = now();
    String request = ProofRequest.message(signedAt, user);
    assertError(
        get(
            proofPath
                + "&timestamp="
                + signedAt
                + "&signature="
                + EthKeys.signWithKey(AnvilNode.DEV_ACCOUNT_1_PRIVATE_KEY, request)),
        401,
        "invalid_eth_signature");
    long stale = signedAt - 3_600;
    assertError(
        get(
            proofPath
                + "&timestamp="
                + stale
                + "&signature="
                + EthKeys.sign(user, ProofRequest.message(stale, user))),
        401,
        "timestamp_out_of_window");
    HttpResponse<String> proofResponse =
        get(
            "/api/reserves/proof?address="
                + user.toUpperCase(java.util.Locale.ROOT).replace("0X", "0x")
                + "&timestamp="
                + signedAt
                + "&signature="
                + EthKeys.sign(user, request));
    assertThat(proofResponse.statusCode()).as(proofResponse.body()).isEqualTo(200);
    JsonNode proof = json(proofResponse.body());
    JsonNode leaf = proof.get("leaf");
    assertThat(leaf.get("ethAddress").asString()).isEqualTo(user);
    assertThat(leaf.get("salt").asString()).matches("[0-9a-f]{64}");
    assertThat(leaf.get("sum").asLong()).isEqualTo(77_000);
    assertThat(leaf.get("addresses")).hasSize(1);
    assertThat(leaf.get("addresses").get(0).get("btcAddress").asString()).isEqualTo(btcAddress);
    assertThat(leaf.get("addresses").get(0).get("scriptPubKey").asString())
        .isEqualTo("0014" + HexFormat.of().formatHex(key.getPubKeyHash()));
    assertThat(export.body()).contains(leaf.get("leafHash").asString());
    assertThat(proof.get("attestation").get("statementHash").asString())
        .isEqualTo(latest.get("statementHash").asString());
    Path proofFile = Files.writeString(dir.resolve("proof.json"), proofResponse.body());
    assertThat(
            verify(
                "proof",
                "--signer",
                signer,
                "--address",
                user,
                "--attestation",
                attestationFile.toString(),
                proofFile.toString()))
        .contains("VERIFIED", "77000 sats", btcAddress);
    // A proof checked against another key is refused.
    assertThat(verify("proof", "--signer", AnvilNode.DEV_ACCOUNT_0_ADDRESS, proofFile.toString()))
        .contains("REJECTED", "not by the published signer");

    String outsider = newEthAddress();
    assertError(
        get(
            "/api/reserves/proof?address="
                + outsider
                + "&timestamp="
                + signedAt
                + "&signature="
                + EthKeys.sign(outsider, ProofRequest.message(signedAt, outsider))),
        404,
        "no_leaf");
    assertError(get("/api/reserves/proof?address=0x12"), 400, "invalid_parameter");
    assertError(get("/api/reserves/999999999/export.jsonl"), 404, "no_snapshot");
    assertError(get("/api/reserves/abc"), 400, "invalid_parameter");

    // The operator export lists every binding with its salt.
    HttpResponse<String> accounts = get("/api/operator/reserves/" + sequence + "/accounts.jsonl");
    assertThat(accounts.statusCode()).isEqualTo(200);
    assertThat(accounts.body().lines()).hasSize(latest.get("leafCount").asInt());
    assertThat(accounts.body()).contains(user, btcAddress, leaf.get("salt").asString());

    // The history is a chain of signed statements the verifier follows back.
    // system_contracts names the signer (with the aggregator and the committee).
    assertThat(json(get("/api/reserves/signers")).toString())
        .contains("\"reserves_attestation_signer\"", signer, AnvilNode.DEV_ACCOUNT_0_ADDRESS);
    HttpResponse<String> history = get("/api/reserves/history?limit=500");
    assertThat(history.statusCode()).isEqualTo(200);
    assertThat(json(history.body()).get("signer").asString()).isEqualTo(signer);
    assertThat(
            verify(
                "history",
                "--signer",
                signer,
                Files.writeString(dir.resolve("history.json"), history.body()).toString()))
        .contains("VERIFIED", "#" + sequence + " " + statement.hash());

    // Published with the statement and signature, keyed "global"; one snapshot per block.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        recorder.values(
                            Topics.RESERVES_ATTESTATIONS.name(),
                            com.reservebtc.schemas.Keys.GLOBAL,
                            ReserveAttestation.class))
                    .anySatisfy(
                        a -> {
                          assertThat(a.getStatement()).isEqualTo(statement.text());
                          assertThat(a.getSignature())
                              .isEqualTo(latest.get("signature").asString());
                          assertThat(a.getSequence()).isEqualTo(sequence);
                          assertThat(a.getMerkleRoot()).isEqualTo(statement.merkleRoot());
                          assertThat(a.getBtcHeight()).isEqualTo(height);
                        }));
    await()
        .during(Duration.ofMillis(800))
        .atMost(WAIT)
        .until(
            () ->
                jdbc.sql("select count(*) from proof_of_reserves where btc_tip_hash = :h")
                        .param("h", latest.get("btcBlockHash").asString())
                        .query(Long.class)
                        .single()
                    == 1);
    // A signed snapshot cannot be changed in place.
    assertThatThrownBy(
            () ->
                jdbc.sql("update proof_of_reserves set merkle_root = :r where sequence = :s")
                    .param("r", "00".repeat(32))
                    .param("s", sequence)
                    .update())
        .hasMessageContaining("append-only");
  }

  @Test
  void reportsAShortfallWhenRbtcIsMintedThatNoBoundBitcoinCovers(@TempDir Path dir)
      throws Exception {
    // A deployment and a database of its own, so the token's supply is this test's alone; the
    // committee is Anvil dev account 2, which nothing else here sends from.
    Credentials committee = Credentials.create(AnvilNode.DEV_ACCOUNT_2_PRIVATE_KEY);
    ProtocolDeployment own =
        new ProtocolDeployer(infra.web3j, committee)
            .deploy(DeploymentParameters.defaults(AnvilNode.DEV_ACCOUNT_2_ADDRESS));
    String user = newEthAddress();
    String unbacked = newEthAddress();
    FeeVault vault =
        FeeVault.load(
            own.feeVault(), infra.web3j, infra.transactions(committee), new DefaultGasProvider());
    vault.depositETH(user, ONE_ETH).send();
    vault.depositETH(unbacked, ONE_ETH).send();
    OracleAggregator aggregator =
        OracleAggregator.load(
            own.oracleAggregator(),
            infra.web3j,
            infra.transactions(committee),
            new DefaultGasProvider());
    java.util.Map<String, String> settings =
        OracleContexts.settings(infra, OracleContexts.newDatabase(infra));
    settings.put("rbtc.contracts.oracle-aggregator", own.oracleAggregator());
    settings.put("rbtc.oracle.committee-key", AnvilNode.DEV_ACCOUNT_2_PRIVATE_KEY);
    try (org.springframework.context.ConfigurableApplicationContext oracle =
        OracleContexts.start(settings)) {
      int oraclePort = OracleContexts.port(oracle);
      ECKey key = new ECKey();
      assertThat(OracleContexts.bindP2wpkh(oraclePort, user, key).statusCode()).isEqualTo(201);
      infra.esplora.fund(Bip322TestSigner.p2wpkhAddress(key, BitcoinNetwork.REGTEST), 60_000);
      infra.esplora.mine(1);
      await().atMost(WAIT).until(() -> aggregator.lastSats(user).send().longValueExact() == 60_000);
      long backedAt = infra.esplora.mine(1).height();
      JsonNode matched = latestAt(oraclePort, backedAt);
      assertThat(matched.get("backing").asString()).isEqualTo("MATCHED");
      assertThat(matched.get("totalConfirmedSats").asLong()).isEqualTo(60_000);
      assertThat(matched.get("synthTotalSupply").asString()).isEqualTo("60000");
      assertThat(matched.get("differenceSats").asString()).isEqualTo("0");
      assertThat(backingGauge(oraclePort)).isEqualTo(1.0);

      // rBTC minted to an address with no Bitcoin bound: the oracle is idle (its user is at
      // target), so the committee key's next nonce is free for this one transaction.
      aggregator.sync(unbacked, BigInteger.valueOf(25_000), new byte[0]).send();
      long shortAt = infra.esplora.mine(1).height();
      JsonNode shortfall = latestAt(oraclePort, shortAt);

      assertThat(shortfall.get("backing").asString()).isEqualTo("SHORTFALL");
      assertThat(shortfall.get("totalConfirmedSats").asLong()).isEqualTo(60_000);
      assertThat(shortfall.get("synthTotalSupply").asString()).isEqualTo("85000");
      assertThat(shortfall.get("differenceSats").asString()).isEqualTo("-25000");
      assertThat(shortfall.get("backingRatio").asString()).isEqualTo("70.58");
      assertThat(shortfall.get("previousHash").asString())
          .isEqualTo(matched.get("statementHash").asString());
      assertThat(backingGauge(oraclePort)).isCloseTo(60_000.0 / 85_000, within(1e-9));
      String history = OracleContexts.get(oraclePort, "/api/reserves/history");
      assertThat(
              verify(
                  "history",
                  "--signer",
                  OracleContexts.RESERVES_SIGNER,
                  Files.writeString(dir.resolve("history.json"), history).toString()))
          .contains("VERIFIED", "supply 85000  SHORTFALL", "supply 60000  MATCHED");
    }
  }

  private static JsonNode latestAt(int oraclePort, long height) {
    return await()
        .atMost(WAIT)
        .until(
            () -> {
              JsonNode node = json(OracleContexts.get(oraclePort, "/api/reserves/latest"));
              return node.path("btcHeight").asLong() == height ? node : null;
            },
            java.util.Objects::nonNull);
  }

  private static double backingGauge(int oraclePort) throws Exception {
    String metrics = OracleContexts.get(oraclePort, "/actuator/prometheus");
    return metrics
        .lines()
        .filter(l -> l.startsWith("rbtc_reserves_backing_ratio"))
        .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no rbtc_reserves_backing_ratio in " + metrics));
  }

  /** Runs the offline verifier's command line; returns what it printed, with its exit status. */
  private static String verify(String... args) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.PrintStream print =
        new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8);
    int status = Verifier.run(args, print, print);
    return out.toString(java.nio.charset.StandardCharsets.UTF_8) + "exit " + status;
  }

  private long boundUsers() {
    return jdbc.sql("select count(distinct eth_address) from bitcoin_addresses")
        .query(Long.class)
        .single();
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

  /** A binding request signed by {@code eth}'s own key (made by {@link EthKeys}). */
  private static String bindingJson(String eth, String btc, String message, String signature) {
    return bindingJson(eth, btc, message, signature, EthKeys.sign(eth, message));
  }

  private static String bindingJson(
      String eth, String btc, String message, String signature, String ethSignature) {
    return "{\"ethAddress\":\""
        + eth
        + "\",\"btcAddress\":\""
        + btc
        + "\",\"message\":\""
        + message.replace("\r", "\\r").replace("\n", "\\n")
        + "\",\"signature\":\""
        + signature
        + (ethSignature == null ? "" : "\",\"ethSignature\":\"" + ethSignature)
        + "\"}";
  }

  private static String unbindJson(String message, String signature) {
    return "{\"message\":\""
        + message.replace("\r", "\\r").replace("\n", "\\n")
        + "\",\"signature\":\""
        + signature
        + "\"}";
  }

  private static String ethUnbindJson(String message, String ethSignature) {
    return "{\"message\":\""
        + message.replace("\r", "\\r").replace("\n", "\\n")
        + "\",\"ethSignature\":\""
        + ethSignature
        + "\"}";
  }

  private HttpResponse<String> delete(String path, String body)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", "application/json")
            .method("DELETE", HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) {
    return response.statusCode() == 200 ? json(response.body()) : null;
  }

  private static JsonNode json(String text) {
    return JsonMapper.builder().build().readTree(text);
  }

  private long unsettledUnbindings(String user) {
    return jdbc.sql(
            "select count(*) from bitcoin_address_unbindings where eth_address = :u"
                + " and settled_at is null")
        .param("u", user)
        .query(Long.class)
        .single();
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
    return EthKeys.newAddress();
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

    RBTCSynth synth() {
      return RBTCSynth.load(
          deployment.synth(),
          web3j,
          new ReadonlyTransactionManager(web3j, AnvilNode.DEV_ACCOUNT_1_ADDRESS),
          new DefaultGasProvider());
    }

    /** The aggregator's Synced events for {@code user}, oldest first, read from the chain. */
    List<OracleAggregator.SyncedEventResponse> syncedEvents(String user) throws IOException {
      EthFilter filter =
          new EthFilter(
              DefaultBlockParameterName.EARLIEST,
              DefaultBlockParameterName.LATEST,
              deployment.oracleAggregator());
      filter.addSingleTopic(EventEncoder.encode(OracleAggregator.SYNCED_EVENT));
      filter.addSingleTopic("0x" + TypeEncoder.encode(new Address(user)));
      EthLog logs = web3j.ethGetLogs(filter).send();
      if (logs.hasError()) {
        throw new IOException("eth_getLogs failed: " + logs.getError().getMessage());
      }
      return logs.getLogs().stream()
          .map(r -> OracleAggregator.getSyncedEventFromLog((Log) r.get()))
          .toList();
    }

    BigInteger synthTotalSupplyAt(long block) throws Exception {
      RBTCSynth synth = synth();
      synth.setDefaultBlockParameter(
          org.web3j.protocol.core.DefaultBlockParameter.valueOf(BigInteger.valueOf(block)));
      return synth.totalSupply().send();
    }

    /**
     * Sends as {@code credentials} and polls for the receipt every 50 ms (web3j's default waits 15
     * s between polls, which Anvil's instant mining never needs).
     */
    RawTransactionManager transactions(Credentials credentials) {
      return new RawTransactionManager(
          web3j,
          credentials,
          deployment.chainId(),
          new PollingTransactionReceiptProcessor(web3j, 50, 600));
    }

    /** Calls an Anvil development method with its parameters; fails the test on an error. */
    void anvilCall(String method, Object... params) throws IOException {
      var response =
          new org.web3j.protocol.core.Request<>(
                  method,
                  List.of(params),
                  new HttpService(anvil.rpcUrl()),
                  org.web3j.protocol.core.methods.response.VoidResponse.class)
              .send();
      assertThat(response.hasError()).as("%s: %s", method, response.getError()).isFalse();
    }

    FeeVault feeVaultAsAccount1() {
      return FeeVault.load(
          deployment.feeVault(),
          web3j,
          transactions(Credentials.create(AnvilNode.DEV_ACCOUNT_1_PRIVATE_KEY)),
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
      // Every topic the oracle writes.
      consumer.subscribe(
          Topics.all().stream()
              .filter(t -> t.writer() == com.reservebtc.schemas.Service.ORACLE)
              .map(t -> t.name())
              .toList());
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

    /** Every record received so far, each as its key and JSON text, one per line. */
    String everything() {
      StringBuilder out = new StringBuilder();
      for (ConsumerRecord<String, SpecificRecord> record : records) {
        out.append(record.topic())
            .append(' ')
            .append(record.key())
            .append(' ')
            .append(record.value())
            .append('\n');
      }
      return out.toString();
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
