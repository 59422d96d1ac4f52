package com.reservebtc.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.reservebtc.esplora.BlockRef;
import com.reservebtc.esplora.EsploraSimulator;
import com.reservebtc.esplora.ReorgResult;
import com.reservebtc.oracle.ownership.Bip322TestSigner;
import com.reservebtc.oracle.ownership.EthKeys;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.BtcBalanceObservation;
import com.reservebtc.schemas.avro.OperationStatus;
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
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The whole sync path (observation, Kafka, operations log, the chain) when the Bitcoin sources
 * disagree and when Bitcoin reorganises. Each test runs its own oracle with its own database and
 * its own Esplora simulators, against one shared broker, Postgres server and Anvil.
 *
 * <p>Two simulators that receive the same operations in the same order hold identical chains (txids
 * and block hashes are derived from the operation sequence), so a test makes two sources agree by
 * mirroring every operation, and disagree by applying one to a single source.
 */
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
  void syncsNothingWhileTwoSourcesDisagreeAndSyncsOnceTheyAgree() throws Exception {
    EsploraSimulator first = simulator();
    EsploraSimulator second = simulator();
    String user = newUser();
    ECKey key = new ECKey();
    String btc = bind(oracle(Map.of("rbtc.bitcoin.esplora-urls", urls(first, second))), user, key);

    // A payment confirmed on one source only: the sources are at different tips.
    String funding = first.fund(btc, 60_000);
    first.mine(1);
    await().atMost(WAIT).until(() -> count(user, "SOURCE_DISAGREEMENT") == 1);
    assertThat(detailsOf(user, "SOURCE_DISAGREEMENT")).singleElement().asString().contains("tips");
    await()
        .during(QUIET)
        .atMost(WAIT)
        .until(() -> lastSats(user) == 0 && count(user, "PLANNED") == 0);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(operationsOnTopic(user))
                  .extracting(OracleOperation::getStatus)
                  .contains(OperationStatus.SOURCE_DISAGREEMENT);
              assertThat(observationsOnTopic(user))
                  .anySatisfy(
                      o -> {
                        assertThat(o.getAgreed()).isFalse();
                        assertThat(o.getConfirmedSats()).isNull();
                        assertThat(o.getSources()).hasSize(2);
                      });
            });

    // The second source sees the same payment in the same block: they agree and the oracle syncs.
    assertThat(second.fund(btc, 60_000)).isEqualTo(funding);
    assertThat(second.mine(1)).isEqualTo(first.tip());
    await().atMost(WAIT).until(() -> lastSats(user) == 60_000);

    // Same tip, different balances: one source already sees the output spent in its mempool.
    long disagreementsBefore = count(user, "SOURCE_DISAGREEMENT");
    String spend = first.spend(btc, 25_000);
    await().atMost(WAIT).until(() -> count(user, "SOURCE_DISAGREEMENT") > disagreementsBefore);
    assertThat(detailsOf(user, "SOURCE_DISAGREEMENT"))
        .last()
        .asString()
        .contains("different balances");
    await().during(QUIET).atMost(WAIT).until(() -> lastSats(user) == 60_000);

    // Mined on the first source before the second sees the spend, so the two never agree on the
    // in-between zero; once both mined it, they agree on the change.
    first.mine(1);
    assertThat(second.spend(btc, 25_000)).isEqualTo(spend);
    assertThat(second.mine(1)).isEqualTo(first.tip());
    await().atMost(WAIT).until(() -> lastSats(user) == 35_000);
    assertThat(count(user, "EMERGENCY_BURN")).isZero();
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
    awaitObservation(user, oneConfirmation, 0);
    await().during(QUIET).atMost(WAIT).until(() -> lastSats(user) == 0);

    // The block is orphaned before a second confirmation; the new chain is one block longer, where
    // the payment would have had two.
    ReorgResult reorg = source.reorg(1, 2, List.of(payment), false);
    assertThat(reorg.dropped()).containsExactly(payment);
    assertThat(reorg.newTip().height()).isEqualTo(oneConfirmation.height() + 1);
    awaitObservation(user, reorg.newTip(), 0);
    await().during(QUIET).atMost(WAIT).until(() -> lastSats(user) == 0);
    // Nothing was ever planned or sent, so there is nothing to undo.
    assertThat(statuses(user)).isEmpty();
    assertThat(infra.syncedEvents(user)).isEmpty();

    // A payment that does reach two confirmations is synced.
    source.fund(btc, 30_000);
    BlockRef first = source.mine(1);
    awaitObservation(user, first, 0);
    source.mine(1);
    await().atMost(WAIT).until(() -> lastSats(user) == 30_000);
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
                    "rbtc.oracle.receipt-confirmations",
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

  private static void awaitObservation(String user, BlockRef tip, long sats) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(observationsOnTopic(user))
                    .anySatisfy(
                        o -> {
                          assertThat(o.getTipHash()).isEqualTo(tip.hash());
                          assertThat(o.getAgreed()).isTrue();
                          assertThat(o.getConfirmedSats()).isEqualTo(sats);
                        }));
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
