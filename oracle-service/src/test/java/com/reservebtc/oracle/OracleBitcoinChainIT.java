package com.reservebtc.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.reservebtc.esplora.BlockRef;
import com.reservebtc.esplora.EsploraSimulator;
import com.reservebtc.esplora.FaultMode;
import com.reservebtc.esplora.FaultRule;
import com.reservebtc.esplora.Network;
import com.reservebtc.esplora.ReorgResult;
import com.reservebtc.esplora.SimulatorConfig;
import com.reservebtc.oracle.ownership.Bip322TestSigner;
import com.reservebtc.oracle.ownership.EthKeys;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.BtcBalanceObservation;
import com.reservebtc.schemas.avro.OracleAlert;
import com.reservebtc.schemas.avro.OracleAlertKind;
import com.reservebtc.schemas.avro.OracleOperation;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.crypto.ECKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The whole sync path (observation, Kafka, operations log, the chain) when the Bitcoin sources are
 * a block apart, on different blocks, stalled, on another network or guarded by credentials, when
 * spends are shallow, and when Bitcoin reorganises. Each test runs its own oracle with its own
 * database and its own Esplora simulators, against one shared broker, Postgres server and Anvil.
 *
 * <p>Two simulators that receive the same operations in the same order hold identical chains (txids
 * and block hashes are derived from the operation sequence), so a test makes two sources agree by
 * mirroring every operation, and disagree by applying one to a single source.
 */
@ExtendWith(OutputCaptureExtension.class)
class OracleBitcoinChainIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  /** Several 200 ms cycles: long enough for a wrong sync to have happened. */
  private static final Duration QUIET = Duration.ofMillis(1_200);

  private static final BigInteger ONE_ETH = BigInteger.TEN.pow(18);

  private static OracleSyncIT.Infra infra;
  private static OracleSyncIT.TopicRecorder recorder;

  private final List<AutoCloseable> started = new ArrayList<>();
  private JdbcClient jdbc;

  @BeforeAll
  static void startInfra() {
    infra = OracleSyncIT.Infra.start();
    recorder = new OracleSyncIT.TopicRecorder(infra.kafka.getBrokersAsString());
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
  void stopOracleAndSources() throws Exception {
    // The oracle first, while its sources and components are still up.
    for (int i = started.size() - 1; i >= 0; i--) {
      started.get(i).close();
    }
  }

  @Test
  void sourcesABlockApartAgreeAndSourcesOnDifferentBlocksSyncNothing() throws Exception {
    EsploraSimulator first = simulator();
    EsploraSimulator second = simulator();
    String user = newUser();
    ECKey key = new ECKey();
    String btc = bind(oracle(Map.of("rbtc.bitcoin.esplora-urls", urls(first, second))), user, key);

    // One block apart: the first source has the payment's block, the second not yet. They agree
    // at the height both have, so nothing is disputed and nothing is synced yet.
    String funding = first.fund(btc, 60_000);
    first.mine(1);
    awaitObservation(user, second.tip().height(), 0);
    assertThat(second.fund(btc, 60_000)).isEqualTo(funding);
    assertThat(second.mine(1)).isEqualTo(first.tip());
    await().atMost(WAIT).until(() -> lastSats(user) == 60_000);
    // A spend only one source sees in its mempool changes nothing: mempool spends never count.
    first.spend(btc, 25_000);
    await().during(QUIET).atMost(WAIT).until(() -> lastSats(user) == 60_000);
    assertThat(count(user, "SOURCE_DISAGREEMENT")).isZero();

    // Different blocks at the same height: no quorum on the chain, nothing synced, and the
    // episode is recorded once (one operation, one alert), not once per cycle.
    first.mine(1);
    second.mine(1);
    await().atMost(WAIT).until(() -> count(user, "SOURCE_DISAGREEMENT") == 1);
    await()
        .during(QUIET)
        .atMost(WAIT)
        .until(() -> lastSats(user) == 60_000 && count(user, "SOURCE_DISAGREEMENT") == 1);
    assertThat(detailsOf(user, "SOURCE_DISAGREEMENT"))
        .singleElement()
        .asString()
        .contains("no 2 Bitcoin sources agree on block " + first.tip().height());
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(alertsOnTopic())
                    .filteredOn(a -> a.getKind() == OracleAlertKind.SOURCES_DISAGREE)
                    .isNotEmpty());
    assertThat(count(user, "EMERGENCY_BURN")).isZero();
  }

  @Test
  void aQuorumOfTwoOfThreeSyncsPastASourceOnAnotherBlockAndAStalledOne() throws Exception {
    EsploraSimulator first = simulator();
    EsploraSimulator second = simulator();
    EsploraSimulator odd = simulator();
    String user = newUser();
    ECKey key = new ECKey();
    String btc =
        bind(
            oracle(
                Map.of(
                    "rbtc.bitcoin.esplora-urls",
                    urls(first, second, odd),
                    "rbtc.bitcoin.quorum",
                    "2",
                    "rbtc.bitcoin.stall-timeout",
                    "1s")),
            user,
            key);
    for (EsploraSimulator source : List.of(first, second)) {
      source.fund(btc, 70_000);
      source.mine(1);
    }
    // The third source mined a block of its own: outvoted, the two others agree.
    odd.mine(1);
    await().atMost(WAIT).until(() -> lastSats(user) == 70_000);

    // Then it stops moving while the others go on: excluded, with one alert naming it.
    for (EsploraSimulator source : List.of(first, second)) {
      source.fund(btc, 5_000);
      source.mine(1);
    }
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(alertsOnTopic())
                    .filteredOn(a -> a.getKind() == OracleAlertKind.SOURCE_EXCLUDED)
                    .singleElement()
                    .satisfies(
                        a -> {
                          assertThat(a.getSubject()).isEqualTo("source-3");
                          assertThat(a.getMessage()).contains("stalled");
                        }));
    await().atMost(WAIT).until(() -> lastSats(user) == 75_000);
  }

  @Test
  void aSpendConfirmedShallowerThanTheDepthIsSyncedOnlyOnceDeepEnough() throws Exception {
    EsploraSimulator source = simulator();
    String user = newUser();
    String btc =
        bind(
            oracle(
                Map.of(
                    "rbtc.bitcoin.esplora-urls",
                    urls(source),
                    "rbtc.bitcoin.min-confirmations",
                    "2")),
            user,
            new ECKey());
    source.fund(btc, 50_000);
    source.mine(2);
    await().atMost(WAIT).until(() -> lastSats(user) == 50_000);

    source.spend(btc, 20_000);
    BlockRef shallow = source.mine(1);
    // One confirmation of the spend: the balance as of tip - 1 still holds the 50,000.
    awaitObservation(user, shallow.height() - 1, 50_000);
    await().during(QUIET).atMost(WAIT).until(() -> lastSats(user) == 50_000);
    assertThat(observationsOnTopic(user))
        .filteredOn(o -> o.getTipHeight() == shallow.height() - 1)
        .allSatisfy(o -> assertThat(o.getPendingSpentSats()).isEqualTo(50_000L));

    source.mine(1);
    await().atMost(WAIT).until(() -> lastSats(user) == 30_000);
    assertThat(count(user, "EMERGENCY_BURN")).isZero();
  }

  @Test
  void aSourceOnAnotherNetworkStopsTheStartNamingItsAliasAndNetwork() {
    EsploraSimulator regtest = simulator();
    EsploraSimulator testnet =
        new EsploraSimulator(SimulatorConfig.defaults().withNetwork(Network.TESTNET)).start();
    started.add(testnet);
    Map<String, String> settings =
        OracleContexts.settings(infra, OracleContexts.newDatabase(infra));
    settings.remove("rbtc.bitcoin.esplora-urls");
    settings.put("rbtc.bitcoin.sources[0].alias", "local");
    settings.put("rbtc.bitcoin.sources[0].url", regtest.baseUrl());
    settings.put("rbtc.bitcoin.sources[1].alias", "public-testnet");
    settings.put("rbtc.bitcoin.sources[1].url", testnet.baseUrl());

    assertThatThrownBy(() -> started.add(OracleContexts.start(settings)))
        .hasStackTraceContaining("Bitcoin source 'public-testnet' serves testnet")
        .hasStackTraceContaining("configured for regtest");
  }

  @Test
  void theUrlOfASourceWithCredentialsAndAKeyNeverLeavesTheOracle(CapturedOutput output)
      throws Exception {
    EsploraSimulator paid =
        new EsploraSimulator(SimulatorConfig.defaults().withAccess("k3y1n9ath", "u5er", "pa55w0rd"))
            .start();
    started.add(paid);
    String url = paid.baseUrl().replace("http://", "http://u5er:pa55w0rd@") + "/k3y1n9ath";
    String user = newUser();
    ECKey key = new ECKey();
    ConfigurableApplicationContext oracle =
        oracle(
            Map.of(
                "rbtc.bitcoin.esplora-urls", "",
                "rbtc.bitcoin.sources[0].alias", "paid",
                "rbtc.bitcoin.sources[0].url", url));
    String btc = bind(oracle, user, key);
    paid.fund(btc, 33_000);
    paid.mine(1);
    await().atMost(WAIT).until(() -> lastSats(user) == 33_000);
    // Failures of the source become operation details, records and log lines.
    paid.setFault(FaultRule.of(FaultMode.HTTP500));
    await().atMost(WAIT).until(() -> count(user, "SKIPPED") == 1);
    paid.clearFault();
    paid.fund(btc, 1_000);
    paid.mine(1);
    await().atMost(WAIT).until(() -> lastSats(user) == 34_000);
    paid.setFault(FaultRule.of(FaultMode.GARBAGE).withPathPrefix("/address/"));
    await().atMost(WAIT).until(() -> count(user, "SKIPPED") == 2);
    paid.clearFault();

    int port = OracleContexts.port(oracle);
    List<String> seen = new ArrayList<>();
    seen.add(OracleContexts.get(port, "/api/operations?address=" + user + "&limit=500"));
    seen.add(OracleContexts.get(port, "/api/bindings?address=" + user));
    seen.add(OracleContexts.get(port, "/actuator/prometheus"));
    seen.add(OracleContexts.get(port, "/api/reserves/latest"));
    seen.add(recorder.everything());
    seen.add(output.getAll());
    assertThat(detailsOf(user, "SKIPPED")).anySatisfy(d -> assertThat(d).contains("'paid'"));
    for (String text : seen) {
      assertThat(text)
          .doesNotContain("u5er", "pa55w0rd", "k3y1n9ath", OracleContexts.RESERVES_SIGNING_KEY);
    }
  }

  @Test
  void followsAReorgThatRemovesAConfirmedPaymentWithANormalBurn() throws Exception {
    EsploraSimulator first = simulator();
    EsploraSimulator second = simulator();
    String user = newUser();
    ECKey key = new ECKey();
    String btc = Bip322TestSigner.p2wpkhAddress(key, BitcoinNetwork.REGTEST);
    // Both payments are confirmed on both sources before the address is bound, so the oracle's
    // first sync is one step to 100,000; the second payment is in the tip block.
    List<String> secondPayments = new ArrayList<>();
    for (EsploraSimulator source : List.of(first, second)) {
      source.fund(btc, 40_000);
      source.mine(1);
      secondPayments.add(source.fund(btc, 60_000));
      source.mine(1);
    }
    String removed = secondPayments.get(0);
    assertThat(secondPayments).containsOnly(removed);
    BlockRef replacedTip = first.tip();
    assertThat(second.tip()).isEqualTo(replacedTip);
    bind(oracle(Map.of("rbtc.bitcoin.esplora-urls", urls(first, second))), user, key);
    await().atMost(WAIT).until(() -> lastSats(user) == 100_000);
    assertThat(count(user, "SOURCE_DISAGREEMENT")).isZero();

    // One source reorganises first: a reorg only one source has seen is a disagreement, not a burn.
    ReorgResult reorg = first.reorg(1, 1, List.of(removed), false);
    assertThat(reorg.dropped()).containsExactly(removed);
    BlockRef newTip = reorg.newTip();
    assertThat(newTip.height()).isEqualTo(replacedTip.height());
    assertThat(newTip.hash()).isNotEqualTo(replacedTip.hash());
    await().atMost(WAIT).until(() -> count(user, "SOURCE_DISAGREEMENT") == 1);
    await().during(QUIET).atMost(WAIT).until(() -> lastSats(user) == 100_000);

    // Both on the new chain: the oracle follows it down with a normal, fee-paying burn.
    assertThat(second.reorg(1, 1, List.of(removed), false).newTip()).isEqualTo(newTip);
    await().atMost(WAIT).until(() -> lastSats(user) == 40_000);
    assertThat(infra.syncedEvents(user))
        .extracting(
            e -> e.newBalanceSats.longValueExact(),
            e -> e.deltaSats.longValueExact(),
            e -> e.feeWei.signum())
        .containsExactly(tuple(100_000L, 100_000L, 1), tuple(40_000L, -60_000L, 1));
    assertThat(infra.aggregator().emergencyBurnExecuted(user).send()).isFalse();
    assertThat(infra.synth().balanceOf(user).send()).isEqualTo(BigInteger.valueOf(40_000));
    assertThat(count(user, "EMERGENCY_BURN")).isZero();
    assertThat(
            jdbc.sql(
                    "select previous_sats, target_sats, delta_sats from oracle_operations_log"
                        + " where eth_address = :u and status = 'CONFIRMED' order by id")
                .param("u", user)
                .query((rs, i) -> tuple(rs.getLong(1), rs.getLong(2), rs.getLong(3)))
                .list())
        .containsExactly(tuple(0L, 100_000L, 100_000L), tuple(100_000L, 40_000L, -60_000L));

    // The tip is tracked by hash: the same height with a new hash is a new tip — observed, and
    // given its own proof-of-reserves snapshot.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(observationsOnTopic(user))
                    .filteredOn(BtcBalanceObservation::getAgreed)
                    .extracting(
                        BtcBalanceObservation::getTipHeight,
                        BtcBalanceObservation::getTipHash,
                        BtcBalanceObservation::getConfirmedSats)
                    .contains(
                        tuple((long) replacedTip.height(), replacedTip.hash(), 100_000L),
                        tuple((long) newTip.height(), newTip.hash(), 40_000L)));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        jdbc.sql(
                                "select btc_tip_hash, total_confirmed_sats from proof_of_reserves"
                                    + " where btc_height = :h order by id")
                            .param("h", newTip.height())
                            .query((rs, i) -> tuple(rs.getString(1), rs.getLong(2)))
                            .list())
                    .containsExactly(
                        tuple(replacedTip.hash(), 100_000L), tuple(newTip.hash(), 40_000L)));
  }

  @Test
  void withTwoConfirmationsAPaymentReorganisedAwayAtOneIsNeverSynced() throws Exception {
    EsploraSimulator source = simulator();
    String user = newUser();
    String btc =
        bind(
            oracle(
                Map.of(
                    "rbtc.bitcoin.esplora-urls",
                    urls(source),
                    "rbtc.bitcoin.min-confirmations",
                    "2")),
            user,
            new ECKey());

    String payment = source.fund(btc, 50_000);
    BlockRef oneConfirmation = source.mine(1);
    // A cycle has seen the payment's block: an agreed zero, since one confirmation is not enough.
    awaitObservation(user, oneConfirmation.height() - 1, 0);
    await().during(QUIET).atMost(WAIT).until(() -> lastSats(user) == 0);

    // The block is orphaned before a second confirmation; the new chain is one block longer, where
    // the payment would have had two.
    ReorgResult reorg = source.reorg(1, 2, List.of(payment), false);
    assertThat(reorg.dropped()).containsExactly(payment);
    assertThat(reorg.newTip().height()).isEqualTo(oneConfirmation.height() + 1);
    awaitObservation(user, reorg.newTip().height() - 1, 0);
    await().during(QUIET).atMost(WAIT).until(() -> lastSats(user) == 0);
    // Nothing was ever planned or sent, so there is nothing to undo.
    assertThat(statuses(user)).isEmpty();
    assertThat(infra.syncedEvents(user)).isEmpty();

    // A payment that does reach two confirmations is synced.
    source.fund(btc, 30_000);
    BlockRef first = source.mine(1);
    awaitObservation(user, first.height() - 1, 0);
    source.mine(1);
    await().atMost(WAIT).until(() -> lastSats(user) == 30_000);
  }

  /**
   * On an oracle of its own: with Anvil's automine off, a sync of any other user of a shared oracle
   * (one whose balance the shared simulator's next block changes) would wait in the pool ahead of
   * this user's and hold it back.
   */
  @Test
  void aSyncTheNodeDropsIsRecordedFailedAndSentAgain() throws Exception {
    EsploraSimulator source = simulator();
    String user = newUser();
    String btc = bind(oracle(Map.of("rbtc.bitcoin.esplora-urls", urls(source))), user, new ECKey());
    infra.anvilCall("evm_setAutomine", false);
    try {
      source.fund(btc, 25_000);
      source.mine(1);
      await().atMost(WAIT).until(() -> count(user, "SUBMITTED") == 1);
      String dropped = latestSubmitted(user);
      // Recorded before it is broadcast: dropping it earlier would drop nothing.
      awaitInPool(dropped);
      // What a reorg that orphans the block does to a transaction the node does not put back.
      infra.anvilCall("anvil_dropTransaction", dropped);

      await()
          .atMost(WAIT)
          .until(
              () ->
                  jdbc.sql(
                              "select count(*) from oracle_operations_log where tx_hash = :tx"
                                  + " and status = 'FAILED' and detail like '%dropped%'")
                          .param("tx", dropped)
                          .query(Long.class)
                          .single()
                      == 1);
      // Sent again as a new operation; same nonce, fee and call, so possibly the same hash.
      await().atMost(WAIT).until(() -> count(user, "SUBMITTED") == 2);
    } finally {
      infra.anvilCall("evm_setAutomine", true);
    }
    await().atMost(WAIT).until(() -> lastSats(user) == 25_000);
    assertThat(infra.syncedEvents(user)).hasSize(1);
  }

  /** Waits until the node has {@code hash} in its pool. */
  private static void awaitInPool(String hash) {
    await()
        .atMost(WAIT)
        .until(() -> infra.web3j.ethGetTransactionByHash(hash).send().getTransaction().isPresent());
  }

  private String latestSubmitted(String user) {
    return jdbc.sql(
            "select tx_hash from oracle_operations_log where eth_address = :u"
                + " and status = 'SUBMITTED' order by id desc limit 1")
        .param("u", user)
        .query(String.class)
        .single();
  }

  @Test
  void aSyncStuckBelowTheBaseFeeIsReplacedAtItsNonceAndLandsOnce() throws Exception {
    EsploraSimulator source = simulator();
    String user = newUser();
    String btc =
        bind(
            oracle(
                Map.of(
                    "rbtc.bitcoin.esplora-urls", urls(source),
                    "rbtc.tx.replace-after", "1s",
                    "rbtc.tx.max-fee-per-gas-wei", "1000000000000")),
            user,
            new ECKey());
    infra.anvilCall("evm_setAutomine", false);
    try {
      source.fund(btc, 42_000);
      source.mine(1);
      // The sync waits in the node's pool; then the base fee jumps above what it offers.
      await().atMost(WAIT).until(() -> count(user, "SUBMITTED") == 1);
      infra.anvilCall("anvil_setNextBlockBaseFeePerGas", "0x174876e800"); // 100 gwei
      // Pending past replace-after: the same nonce again, with fees above the new base fee, each
      // version recorded before it is broadcast.
      await().atMost(WAIT).until(() -> count(user, "SUBMITTED") >= 2);
      // Recorded before it is broadcast: a block mined earlier would not include it.
      awaitInPool(latestSubmitted(user));
      // One block normally lands it; a version priced before the base fee jumped (a slow poll
      // here) does not, so mine again until the next version does.
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                if (count(user, "CONFIRMED") == 1) {
                  return true;
                }
                infra.anvilCall("evm_mine");
                return false;
              });
    } finally {
      infra.anvilCall("evm_setAutomine", true);
      infra.anvilCall("anvil_setNextBlockBaseFeePerGas", "0x3b9aca00"); // 1 gwei
      infra.anvilCall("evm_mine");
    }
    assertThat(lastSats(user)).isEqualTo(42_000);
    assertThat(infra.syncedEvents(user)).hasSize(1);
    List<Map<String, Object>> submitted =
        jdbc.sql(
                "select tx_hash, nonce from oracle_operations_log where eth_address = :u"
                    + " and status = 'SUBMITTED' order by id")
            .param("u", user)
            .query()
            .listOfRows();
    assertThat(submitted)
        .extracting(r -> r.get("nonce"))
        .containsOnly(submitted.get(0).get("nonce"));
    assertThat(submitted).extracting(r -> r.get("tx_hash")).doesNotHaveDuplicates();
    String mined =
        jdbc.sql(
                "select tx_hash from oracle_operations_log where eth_address = :u"
                    + " and status = 'CONFIRMED'")
            .param("u", user)
            .query(String.class)
            .single();
    assertThat(mined).isEqualTo(submitted.get(submitted.size() - 1).get("tx_hash"));
    assertThat(mined).isNotEqualTo(submitted.get(0).get("tx_hash"));
  }

  @Test
  void recordsASyncOnlyOnceItsReceiptIsAsDeepAsConfigured() throws Exception {
    EsploraSimulator source = simulator();
    String user = newUser();
    ECKey key = new ECKey();
    String btc =
        bind(
            oracle(
                Map.of(
                    "rbtc.bitcoin.esplora-urls",
                    source.baseUrl(),
                    "rbtc.tx.receipt-confirmations",
                    "3")),
            user,
            key);
    source.fund(btc, 45_000);
    source.mine(1);

    // Anvil mines only for transactions: the sync's block stays the head until more are mined.
    await().atMost(WAIT).until(() -> lastSats(user) == 45_000);
    await()
        .during(QUIET)
        .atMost(WAIT)
        .until(() -> count(user, "SUBMITTED") == 1 && count(user, "CONFIRMED") == 0);

    infra.anvilCall("anvil_mine", 2);
    await().atMost(WAIT).until(() -> count(user, "CONFIRMED") == 1);
    assertThat(infra.syncedEvents(user)).hasSize(1);
  }

  // ---- helpers ---------------------------------------------------------------------------

  private EsploraSimulator simulator() {
    EsploraSimulator simulator = new EsploraSimulator().start();
    started.add(simulator);
    return simulator;
  }

  /** Starts an oracle with its own database and {@code overrides}; it is stopped after the test. */
  private ConfigurableApplicationContext oracle(Map<String, String> overrides) {
    Map<String, String> settings =
        OracleContexts.settings(infra, OracleContexts.newDatabase(infra));
    settings.putAll(overrides);
    ConfigurableApplicationContext context = OracleContexts.start(settings);
    started.add(context);
    jdbc = context.getBean(JdbcClient.class);
    return context;
  }

  /** A new user with fees in the vault, so every sync can pay. */
  private static String newUser() throws Exception {
    String user = EthKeys.newAddress();
    infra.feeVaultAsAccount1().depositETH(user, ONE_ETH).send();
    return user;
  }

  /** Binds {@code key}'s P2WPKH address to {@code user} through the oracle's API; returns it. */
  private static String bind(ConfigurableApplicationContext oracle, String user, ECKey key)
      throws Exception {
    var bound = OracleContexts.bindP2wpkh(OracleContexts.port(oracle), user, key);
    assertThat(bound.statusCode()).as(bound.body()).isEqualTo(201);
    return Bip322TestSigner.p2wpkhAddress(key, BitcoinNetwork.REGTEST);
  }

  private static String urls(EsploraSimulator... sources) {
    return String.join(
        ",", java.util.Arrays.stream(sources).map(EsploraSimulator::baseUrl).toList());
  }

  /** Waits for an agreed observation of the user's balance as of block {@code height}. */
  private static void awaitObservation(String user, long height, long sats) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(observationsOnTopic(user))
                    .anySatisfy(
                        o -> {
                          assertThat(o.getTipHeight()).isEqualTo(height);
                          assertThat(o.getAgreed()).isTrue();
                          assertThat(o.getConfirmedSats()).isEqualTo(sats);
                        }));
  }

  private static List<OracleAlert> alertsOnTopic() {
    return recorder.values(Topics.ORACLE_ALERTS.name(), "global", OracleAlert.class);
  }

  private static List<BtcBalanceObservation> observationsOnTopic(String user) {
    return recorder.values(Topics.ORACLE_BTC_BALANCES.name(), user, BtcBalanceObservation.class);
  }

  private static List<OracleOperation> operationsOnTopic(String user) {
    return recorder.values(Topics.ORACLE_OPERATIONS.name(), user, OracleOperation.class);
  }

  private long count(String user, String status) {
    return jdbc.sql(
            "select count(*) from oracle_operations_log where eth_address = :u and status = :s")
        .param("u", user)
        .param("s", status)
        .query(Long.class)
        .single();
  }

  private List<String> detailsOf(String user, String status) {
    return jdbc.sql(
            "select detail from oracle_operations_log where eth_address = :u and status = :s"
                + " order by id")
        .param("u", user)
        .param("s", status)
        .query(String.class)
        .list();
  }

  private List<String> statuses(String user) {
    return jdbc.sql("select status from oracle_operations_log where eth_address = :u order by id")
        .param("u", user)
        .query(String.class)
        .list();
  }

  private static long lastSats(String user) throws Exception {
    return infra.aggregator().lastSats(user).send().longValueExact();
  }
}
