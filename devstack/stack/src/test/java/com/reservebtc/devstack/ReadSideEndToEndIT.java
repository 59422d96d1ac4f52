package com.reservebtc.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.reservebtc.contracts.anvil.AnvilNode;
import com.reservebtc.contracts.generated.OracleAggregator;
import com.reservebtc.esplora.EsploraSimulator;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.base.ScriptType;
import org.bitcoinj.crypto.ECKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.Log;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The read side end to end, on the whole local stack: one user with a bound Bitcoin address goes
 * through a mint, a partial burn, an emergency burn and an EVM reorg that orphans a sync, and each
 * of them must reach every read model — the gateway's balances, transactions, emergency burns and
 * yield status, the emergency-burn service and the yield service — and the user's event stream with
 * the right finality sequence: PENDING then CONFIRMED, or RETRACTED for the orphaned sync. Finally
 * every read model must equal the chain: the rBTC balance equals {@code RBTCSynth.balanceOf} and
 * {@code OracleAggregator.lastSats}, and the gateway's sync entries are exactly the node's Synced
 * logs of the user.
 *
 * <p>The stages run in order on one user and each builds on the state the previous one left (the
 * Bitcoin balance goes 150,000 → 100,000 → 70,000 → 90,000 sats). The event stream is opened before
 * the binding and stays open throughout, so every change is seen as it is pushed.
 */
@ExtendWith(SharedStack.class)
@Order(Integer.MAX_VALUE)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadSideEndToEndIT {

  private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(60);
  private static final Duration POLL = Duration.ofMillis(200);

  /** Anvil's development account 2: its key signs the user's own fee-vault transactions. */
  private static final String USER = AnvilNode.DEV_ACCOUNT_2_ADDRESS;

  private static final String USER_KEY = AnvilNode.DEV_ACCOUNT_2_PRIVATE_KEY;

  /** ETH the user deposits before the last stage: enough for a sync of up to 900,000 sats. */
  private static final BigInteger FEE_DEPOSIT_WEI = new BigInteger("10000000000000000");

  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper json = new ObjectMapper();

  private static DevStack stack;
  private static ProtocolChain chain;
  private static EsploraSimulator bitcoin;
  private static SseStream events;
  private static String bitcoinAddress;

  @BeforeAll
  static void bindTheUser(DevStack sharedStack) throws Exception {
    stack = sharedStack;
    chain = ProtocolChain.of(stack);
    bitcoin = stack.esploraSimulator().orElseThrow();
    events = SseStream.open(http, gatewayUrl(), USER, Duration.ofSeconds(30));

    ECKey bitcoinKey = new ECKey();
    bitcoinAddress = bitcoinKey.toAddress(ScriptType.P2WPKH, BitcoinNetwork.REGTEST).toString();
    HttpResponse<String> bound = bindThroughTheGateway(bitcoinKey);
    assertThat(bound.statusCode()).as(bound.body()).isEqualTo(201);

    await()
        .atMost(VISIBLE_WITHIN)
        .pollInterval(POLL)
        .untilAsserted(
            () -> {
              assertThat(gateway("bitcoin-addresses").path("count").asInt()).isEqualTo(1);
              assertThat(eventsNamed("binding")).isNotEmpty();
              // the oracle's fee prepayment of the new binding, indexed
              BigInteger prepaid = chain.feeVaultBalance(USER);
              assertThat(prepaid).isPositive();
              assertThat(gateway("balances").path("feeVaultWei").asString())
                  .isEqualTo(prepaid.toString());
            });
  }

  @AfterAll
  static void close() {
    if (events != null) {
      events.close();
    }
    if (chain != null) {
      chain.close();
    }
  }

  @Test
  @Order(1)
  @Timeout(180)
  void aMintReachesEveryReadModelAndTheStreamPendingThenConfirmed() throws Exception {
    bitcoin.fund(bitcoinAddress, 150_000);
    bitcoin.mine(1);

    Log mint = awaitSyncedTo(150_000, Set.of());

    OracleAggregator.SyncedEventResponse synced = OracleAggregator.getSyncedEventFromLog(mint);
    assertThat(synced.deltaSats.longValueExact()).isEqualTo(150_000);
    awaitInEveryReadModel(mint, "MINT", 150_000, 150_000, 0);
    awaitPendingThenConfirmed(mint);
  }

  @Test
  @Order(2)
  @Timeout(180)
  void aPartialBurnReachesEveryReadModelAndTheStreamPendingThenConfirmed() throws Exception {
    bitcoin.spend(bitcoinAddress, 50_000);
    bitcoin.mine(1);

    Log burn = awaitSyncedTo(100_000, Set.of());

    assertThat(OracleAggregator.getSyncedEventFromLog(burn).deltaSats.longValueExact())
        .isEqualTo(-50_000);
    awaitInEveryReadModel(burn, "BURN", 100_000, -50_000, 0);
    awaitPendingThenConfirmed(burn);
  }

  @Test
  @Order(3)
  @Timeout(180)
  void anEmergencyBurnReachesEveryReadModelAndTheStreamPendingThenConfirmed() throws Exception {
    // Without prepaid fees a downward sync cannot be paid for: the whole balance is burned.
    assertThat(chain.withdrawUnusedFees(USER_KEY).isStatusOK()).isTrue();
    assertThat(chain.feeVaultBalance(USER)).isZero();
    bitcoin.spend(bitcoinAddress, 30_000);
    // While the spend is unconfirmed nothing is synced, and the user is warned on the stream that
    // confirming it will burn everything unless fees are deposited.
    await()
        .atMost(VISIBLE_WITHIN)
        .pollInterval(POLL)
        .untilAsserted(
            () ->
                assertThat(eventsNamed("alert"))
                    .anySatisfy(
                        e -> {
                          assertThat(e.json().path("alert").path("kind").asString())
                              .isEqualTo("OUTGOING_UNCONFIRMED");
                          assertThat(e.json().path("alert").path("message").asString())
                              .contains("would be burned instead");
                        }));
    assertThat(chain.lastSats(USER)).isEqualTo(100_000);
    bitcoin.mine(1);

    Log burned = awaitSyncedTo(0, Set.of());

    assertThat(OracleAggregator.getSyncedEventFromLog(burned).deltaSats.longValueExact())
        .isEqualTo(-100_000);
    List<Log> emergencyBurns = chain.emergencyBurnLogs(USER);
    assertThat(emergencyBurns).hasSize(1);
    Log emergency = emergencyBurns.get(0);
    assertThat(emergency.getTransactionHash()).isEqualTo(burned.getTransactionHash());
    awaitInEveryReadModel(burned, "BURN", 0, -100_000, 1);
    await()
        .atMost(VISIBLE_WITHIN)
        .pollInterval(POLL)
        .untilAsserted(
            () -> {
              JsonNode entry = gatewayEntry(burned).orElseThrow();
              assertThat(entry.path("metadata").path("is_emergency_burn").asBoolean()).isTrue();

              JsonNode data = gateway("emergency-burns").path("data");
              assertThat(data.path("hasEmergencyBurns").asBoolean()).isTrue();
              JsonNode userBurns = aggregatorBurns(data.path("userBurns"));
              assertThat(userBurns.size()).isEqualTo(1);
              JsonNode userBurn = userBurns.get(0);
              assertThat(userBurn.path("tx_hash").asString())
                  .isEqualTo(emergency.getTransactionHash());
              assertThat(userBurn.path("burned_amount").asString()).isEqualTo("100000");

              JsonNode recorded = emergencyBurnService().get(0);
              assertThat(recorded.path("txHash").asString())
                  .isEqualTo(emergency.getTransactionHash());
              assertThat(recorded.path("logIndex").asLong())
                  .isEqualTo(emergency.getLogIndex().longValueExact());
              assertThat(recorded.path("burnedAmountSats").asLong()).isEqualTo(100_000);
            });
    awaitPendingThenConfirmed(emergency);
    awaitPendingThenConfirmed(burned);
  }

  @Test
  @Order(4)
  @Timeout(240)
  void aSyncOrphanedByAReorgIsRetractedEverywhereAndTheOracleSyncsAgain() throws Exception {
    long deposited = chain.depositFees(USER_KEY, FEE_DEPOSIT_WEI).getBlockNumber().longValueExact();
    // The reorg below reaches one block below the sync's; keep the deposit out of its reach.
    await().atMost(VISIBLE_WITHIN).until(() -> chain.blockNumber() >= deposited + 2);
    bitcoin.fund(bitcoinAddress, 20_000);
    bitcoin.mine(1);

    SseStream.Event pending =
        await()
            .atMost(VISIBLE_WITHIN)
            .pollInterval(Duration.ofMillis(10))
            .until(() -> pendingSyncOnTheStream(90_000), Optional::isPresent)
            .orElseThrow();
    JsonNode shown = pending.json();
    String orphanedTx = shown.path("transaction").path("tx_hash").asString();
    String orphanedBlock = shown.path("transaction").path("metadata").path("block_hash").asString();
    String orphanedEvent = shown.path("eventId").asString();
    long syncBlock = shown.path("blockNumber").asLong();
    // One block more than needed, in case a block is mined between reading the head and the reorg.
    int depth = Math.toIntExact(chain.blockNumber() - syncBlock + 2);
    assertThat(depth).as("reorg depth within the 12-block window").isBetween(2, 11);
    chain.reorg(depth);

    assertThat(chain.receipt(orphanedTx)).as("the sync's transaction after the reorg").isEmpty();
    await()
        .atMost(VISIBLE_WITHIN)
        .pollInterval(POLL)
        .untilAsserted(
            () -> {
              List<String> labels = finalityLabels(orphanedEvent);
              assertThat(labels).first().isEqualTo("PENDING");
              assertThat(labels).last().isEqualTo("RETRACTED");
              assertThat(labels).doesNotContain("FINALIZED");
              assertThat(gatewaySyncEntries())
                  .noneMatch(e -> e.path("tx_hash").asString().equals(orphanedTx));
            });

    // The oracle sets absolute targets: it must bring the chain back to the Bitcoin balance,
    // from whatever the reorg left (the oracle may have re-minted the 70,000 sats held before the
    // funding in a block of its own, which the reorg may or may not have reached).
    // Sent again, the sync may be the very same transaction (same nonce, fees and call): it is
    // told apart by its block.
    Log resynced = awaitSyncedTo(90_000, Set.of(orphanedBlock));
    List<Log> canonical = chain.syncedLogs(USER);
    long before =
        OracleAggregator.getSyncedEventFromLog(canonical.get(canonical.size() - 2))
            .newBalanceSats
            .longValueExact();
    assertThat(before).isIn(0L, 70_000L);
    long delta = OracleAggregator.getSyncedEventFromLog(resynced).deltaSats.longValueExact();
    assertThat(delta).isEqualTo(90_000 - before);
    awaitInEveryReadModel(resynced, "MINT", 90_000, delta, 1);
    awaitPendingThenConfirmed(resynced);
  }

  @Test
  @Order(5)
  @Timeout(180)
  void afterwardsEveryReadModelEqualsTheChain() {
    await()
        .atMost(VISIBLE_WITHIN)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              long lastSats = chain.lastSats(USER);
              assertThat(lastSats).as("lastSats after all stages").isEqualTo(90_000);
              assertThat(chain.synthBalance(USER)).isEqualTo(lastSats);

              JsonNode balances = gateway("balances");
              assertThat(balances.path("rbtc").asLong()).isEqualTo(lastSats);
              assertThat(balances.path("oracleBalance").asLong()).isEqualTo(lastSats);
              assertThat(balances.path("feeVaultWei").asString())
                  .isEqualTo(chain.feeVaultBalance(USER).toString());
              assertThat(gateway("yield-status").path("currentBalance").asLong())
                  .isEqualTo(lastSats);
              assertThat(yieldParticipant().orElseThrow().path("rbtcBalanceSats").asLong())
                  .isEqualTo(lastSats);
              assertThat(
                      gatewayAt("/api/realtime/proof-of-reserves")
                          .path("data")
                          .path("currentTotals")
                          .path("totalRBTC")
                          .asLong())
                  .isEqualTo(chain.synthTotalSupply());

              List<Log> synced = chain.syncedLogs(USER);
              List<JsonNode> entries = gatewaySyncEntries();
              assertThat(entries).hasSameSizeAs(synced);
              assertThat(entries.stream().map(ReadSideEndToEndIT::logKey).toList())
                  .containsExactlyInAnyOrderElementsOf(
                      synced.stream().map(ReadSideEndToEndIT::logKey).toList());
              assertThat(entries)
                  .allSatisfy(e -> assertThat(e.path("status").asString()).isEqualTo("confirmed"));

              List<Log> burns = chain.emergencyBurnLogs(USER);
              assertThat(txHashes(emergencyBurnService())).isEqualTo(txHashes(burns));
              assertThat(
                      txHashes(
                          aggregatorBurns(
                              gateway("emergency-burns").path("data").path("userBurns")),
                          "tx_hash"))
                  .isEqualTo(txHashes(burns));
            });
    // Every sync on the canonical chain was pushed PENDING, then CONFIRMED.
    for (Log log : uncheckedSyncedLogs()) {
      assertThat(compress(finalityLabels(chain.eventId(log), log.getBlockHash())))
          .as("finality sequence of %s", chain.eventId(log))
          .startsWith("PENDING", "CONFIRMED")
          .doesNotContain("RETRACTED");
    }
  }

  // ---- stages ----

  /**
   * Waits until the user's latest Synced log on the canonical chain sets {@code sats} and is not in
   * one of the {@code excluded} blocks, and returns it.
   */
  private static Log awaitSyncedTo(long sats, Set<String> excluded) {
    AtomicReference<Log> found = new AtomicReference<>();
    await()
        .atMost(VISIBLE_WITHIN)
        .pollInterval(POLL)
        .untilAsserted(
            () -> {
              List<Log> logs = chain.syncedLogs(USER);
              Optional<Log> last =
                  logs.isEmpty() ? Optional.empty() : Optional.of(logs.get(logs.size() - 1));
              assertThat(
                      last.filter(l -> !excluded.contains(l.getBlockHash()))
                          .map(l -> OracleAggregator.getSyncedEventFromLog(l).newBalanceSats))
                  .as(
                      () ->
                          "the latest Synced log of the user setting "
                              + sats
                              + " sats; "
                              + oracleDiagnostics())
                  .contains(BigInteger.valueOf(sats));
              found.set(last.orElseThrow());
            });
    return found.get();
  }

  /**
   * Waits until the sync in {@code synced} shows in every read model: the gateway's balances,
   * transactions and yield status, the yield service, and — with {@code burns} entries — the
   * emergency burns of the gateway and of the emergency-burn service.
   */
  private static void awaitInEveryReadModel(
      Log synced, String type, long balance, long delta, int burns) {
    await()
        .atMost(VISIBLE_WITHIN)
        .pollInterval(POLL)
        .untilAsserted(
            () -> {
              JsonNode balances = gateway("balances");
              assertThat(balances.path("rbtc").asLong()).isEqualTo(balance);
              assertThat(balances.path("oracleBalance").asLong()).isEqualTo(balance);
              assertThat(balances.path("blockNumber").asLong())
                  .isEqualTo(synced.getBlockNumber().longValueExact());

              JsonNode entry = gatewayEntry(synced).orElseThrow();
              assertThat(entry.path("tx_type").asString()).isEqualTo(type);
              assertThat(entry.path("amount").asString()).isEqualTo(Long.toString(Math.abs(delta)));
              assertThat(entry.path("delta").asString()).isEqualTo(Long.toString(delta));
              assertThat(entry.path("bitcoin_address").asString()).isEqualTo(bitcoinAddress);
              assertThat(entry.path("metadata").path("new_balance_sats").asLong())
                  .isEqualTo(balance);
              assertThat(entry.path("metadata").path("block_hash").asString())
                  .isEqualTo(synced.getBlockHash());
              assertThat(entry.path("status").asString()).isEqualTo("confirmed");

              assertThat(gateway("yield-status").path("currentBalance").asLong())
                  .isEqualTo(balance);
              assertThat(yieldParticipant().orElseThrow().path("rbtcBalanceSats").asLong())
                  .isEqualTo(balance);

              assertThat(emergencyBurnService().size()).isEqualTo(burns);
              assertThat(
                      aggregatorBurns(gateway("emergency-burns").path("data").path("userBurns"))
                          .size())
                  .isEqualTo(burns);
            });
  }

  /** Waits for CONFIRMED on the stream and checks that PENDING came first. */
  private static void awaitPendingThenConfirmed(Log log) {
    String eventId = chain.eventId(log);
    await()
        .atMost(VISIBLE_WITHIN)
        .pollInterval(POLL)
        .untilAsserted(
            () ->
                assertThat(compress(finalityLabels(eventId, log.getBlockHash())))
                    .as("finality sequence of %s on the stream", eventId)
                    .startsWith("PENDING", "CONFIRMED")
                    .doesNotContain("RETRACTED"));
    SseStream.Event first =
        events.events().stream()
            .filter(e -> eventId.equals(e.json().path("eventId").asString()))
            .filter(e -> inBlock(e.json(), log.getBlockHash()))
            .findFirst()
            .orElseThrow();
    assertThat(first.name()).isEqualTo("transaction");
  }

  // ---- the event stream ----

  private static List<SseStream.Event> eventsNamed(String name) {
    return events.events().stream().filter(e -> e.name().equals(name)).toList();
  }

  /** The finality labels pushed for one chain log, in arrival order. */
  /**
   * The finality labels pushed for one publication of a chain log (its event id in one block: a log
   * orphaned and mined again keeps its event id in another block), in arrival order.
   */
  private static List<String> finalityLabels(String eventId, String blockHash) {
    return events.events().stream()
        .map(SseStream.Event::json)
        .filter(e -> eventId.equals(e.path("eventId").asString()))
        .filter(e -> inBlock(e, blockHash))
        .map(e -> e.path("finality").asString())
        .toList();
  }

  private static boolean inBlock(JsonNode event, String blockHash) {
    return blockHash.equalsIgnoreCase(
        event.path("transaction").path("metadata").path("block_hash").asString());
  }

  private static List<String> finalityLabels(String eventId) {
    return events.events().stream()
        .map(SseStream.Event::json)
        .filter(e -> eventId.equals(e.path("eventId").asString()))
        .map(e -> e.path("finality").asString())
        .toList();
  }

  /** Drops consecutive repeats (an emergency-burn flag re-pushes a log with the same label). */
  private static List<String> compress(List<String> labels) {
    List<String> out = new ArrayList<>();
    for (String label : labels) {
      if (out.isEmpty() || !out.get(out.size() - 1).equals(label)) {
        out.add(label);
      }
    }
    return out;
  }

  private static Optional<SseStream.Event> pendingSyncOnTheStream(long newBalanceSats) {
    return events.events().stream()
        .filter(e -> e.name().equals("transaction"))
        .filter(
            e -> {
              JsonNode data = e.json();
              JsonNode metadata = data.path("transaction").path("metadata");
              return "PENDING".equals(data.path("finality").asString())
                  && "Synced".equals(metadata.path("event").asString())
                  && metadata.path("new_balance_sats").asLong() == newBalanceSats;
            })
        .findFirst();
  }

  // ---- read models ----

  private static String gatewayUrl() {
    return stack.serviceUrl("api-gateway");
  }

  private static JsonNode gateway(String endpoint) throws IOException, InterruptedException {
    return gatewayAt("/api/realtime/" + endpoint + "?address=" + USER);
  }

  private static JsonNode gatewayAt(String pathAndQuery) throws IOException, InterruptedException {
    HttpResponse<String> response = get(gatewayUrl() + pathAndQuery);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json.readTree(response.body());
  }

  /** The gateway's entries of the user's Synced logs (its MINT and BURN rows). */
  private static List<JsonNode> gatewaySyncEntries() throws IOException, InterruptedException {
    JsonNode all = gatewayAt("/api/realtime/transactions?address=" + USER + "&limit=500");
    return all.valueStream()
        .filter(t -> "Synced".equals(t.path("metadata").path("event").asString()))
        .toList();
  }

  private static Optional<JsonNode> gatewayEntry(Log log) throws IOException, InterruptedException {
    String key = logKey(log);
    return gatewaySyncEntries().stream().filter(e -> logKey(e).equals(key)).findFirst();
  }

  /**
   * The aggregator's emergency burns the emergency-burn service recorded for the user. The yield
   * pool's own burns (the yield-service passing an aggregator burn on to the pool) are recorded
   * too, and are left out here.
   */
  private static JsonNode emergencyBurnService() throws IOException, InterruptedException {
    HttpResponse<String> response =
        get(stack.serviceUrl("emergency-burn-service") + "/api/emergency-burns?address=" + USER);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return aggregatorBurns(json.readTree(response.body()));
  }

  private static JsonNode aggregatorBurns(JsonNode burns) {
    tools.jackson.databind.node.ArrayNode aggregator = json.createArrayNode();
    burns
        .valueStream()
        .filter(b -> "ORACLE_AGGREGATOR".equals(b.path("source").asString()))
        .forEach(aggregator::add);
    return aggregator;
  }

  private static Optional<JsonNode> yieldParticipant() throws IOException, InterruptedException {
    HttpResponse<String> response =
        get(stack.serviceUrl("yield-service") + "/api/yield/participants/" + USER);
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Optional.of(json.readTree(response.body()));
  }

  // ---- identities ----

  /** {@code txHash:logIndex@blockHash} of a node log. */
  private static String logKey(Log log) {
    return log.getTransactionHash().toLowerCase(Locale.ROOT)
        + ":"
        + log.getLogIndex()
        + "@"
        + log.getBlockHash().toLowerCase(Locale.ROOT);
  }

  /** {@code txHash:logIndex@blockHash} of a gateway transaction entry. */
  private static String logKey(JsonNode entry) {
    return entry.path("tx_hash").asString()
        + ":"
        + entry.path("metadata").path("log_index").asLong()
        + "@"
        + entry.path("metadata").path("block_hash").asString();
  }

  private static Set<String> txHashes(List<Log> logs) {
    return logs.stream()
        .map(l -> l.getTransactionHash().toLowerCase(Locale.ROOT))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> txHashes(JsonNode burns) {
    return txHashes(burns, "txHash");
  }

  private static Set<String> txHashes(JsonNode entries, String field) {
    return entries
        .valueStream()
        .map(e -> e.path(field).asString())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static List<Log> uncheckedSyncedLogs() {
    try {
      return chain.syncedLogs(USER);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- setup and diagnostics ----

  private static HttpResponse<String> bindThroughTheGateway(ECKey key) throws Exception {
    String message =
        "ReserveBTC Wallet Verification\n"
            + "Timestamp: "
            + Instant.now().getEpochSecond()
            + "\n"
            + "MegaETH Address: "
            + USER
            + "\n"
            + "I confirm ownership of this Bitcoin address for use with ReserveBTC protocol.";
    String body =
        json.writeValueAsString(
            Map.of(
                "ethAddress", USER,
                "btcAddress", bitcoinAddress,
                "message", message,
                "signature", key.signMessage(message, ScriptType.P2WPKH),
                "ethSignature", PersonalSign.sign(AnvilNode.DEV_ACCOUNT_2_PRIVATE_KEY, message)));
    return http.send(
        HttpRequest.newBuilder(URI.create(gatewayUrl() + "/api/realtime/bitcoin-addresses/verify"))
            .timeout(Duration.ofSeconds(40))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** What the oracle last did for the user and where the committee's nonce stands. */
  private static String oracleDiagnostics() {
    try {
      String operations =
          get(stack.serviceUrl("oracle-service") + "/api/operations?address=" + USER + "&limit=4")
              .body();
      String committee = stack.deployment().committee();
      BigInteger mined =
          chain
              .web3j()
              .ethGetTransactionCount(committee, DefaultBlockParameterName.LATEST)
              .send()
              .getTransactionCount();
      BigInteger pending =
          chain
              .web3j()
              .ethGetTransactionCount(committee, DefaultBlockParameterName.PENDING)
              .send()
              .getTransactionCount();
      return "lastSats "
          + chain.lastSats(USER)
          + ", committee nonce mined "
          + mined
          + " / pending "
          + pending
          + ", oracle's latest operations: "
          + operations;
    } catch (Exception e) {
      return "(diagnostics unavailable: " + e + ")";
    }
  }

  private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
