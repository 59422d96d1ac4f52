package com.reservebtc.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.reservebtc.contracts.anvil.AnvilNode;
import com.reservebtc.contracts.generated.OracleAggregator;
import com.reservebtc.indexer.load.ChainLoad;
import com.reservebtc.schemas.EventIds;
import com.reservebtc.schemas.Keys;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.BlockMarker;
import com.reservebtc.schemas.avro.BlockMarkerKind;
import com.reservebtc.schemas.avro.ChainLogRef;
import com.reservebtc.schemas.avro.Finality;
import com.reservebtc.schemas.avro.IndexerCursor;
import com.reservebtc.schemas.avro.QuarantinedLog;
import com.reservebtc.schemas.serde.AvroValueSerializer;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.web3j.abi.EventEncoder;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.tx.RawTransactionManager;
import tools.jackson.databind.JsonNode;

/**
 * The indexer under the faults that used to lose or corrupt data without any crash: a lagging
 * backend behind a load balancer, an undecodable log, reorgs below the confirmed and finalized
 * heights and deeper than the reorg window, a reorg window too busy for a cursor record, a deleted
 * cursor, an operator rewind, and a burst of logs larger than one response or one transaction may
 * carry.
 */
class IndexerFaultsIT extends IndexerTestbed {

  @Test
  void neverRecordsABlockEmptyWhenALaggingBackendAnswersItsLogs() throws Exception {
    try (LaggingLogsProxy lagging = new LaggingLogsProxy(anvil.rpcUrl())) {
      ConfigurableApplicationContext indexer =
          startIndexer(
              Map.of(
                  "rbtc.chain.rpc-url",
                  lagging.url(),
                  "rbtc.chain.ws-urls",
                  "ws://127.0.0.1:" + anvil.port(),
                  "rbtc.indexer.reconcile-interval",
                  "0"));
      awaitCaughtUp(indexer);

      TransactionReceipt deposit =
          feeVault.depositETH("0xa100000000000000000000000000000000000001", ONE_CENT_ETH).send();

      await()
          .atMost(TIMEOUT)
          .untilAsserted(
              () -> {
                poll();
                assertThat(liveEventsOf(deposit)).hasSize(1);
              });
      assertThat(lagging.withheld()).as("logs the lagging backend left out").isPositive();
      awaitCaughtUp(indexer);
      pollToEnd();
      assertLedgerEqualsCanonicalChain();
    }
  }

  @Test
  void quarantinesAnUndecodableLogAndGoesOn() throws Exception {
    // A contract that emits a log with Synced's signature but 3 bytes of data instead of 160.
    String rogue = "0x00000000000000000000000000000000000bad01";
    String user = "0xa200000000000000000000000000000000000002";
    String synced = EventEncoder.encode(OracleAggregator.SYNCED_EVENT).substring(2);
    String code =
        "0x7f" + "0".repeat(24) + user.substring(2) + "7f" + synced + "6003" + "6000" + "a2" + "00";
    new Request<>("anvil_setCode", List.of(rogue, code), rpc, VoidResponse.class).send();
    ConfigurableApplicationContext indexer =
        startIndexer(
            onlyContracts(Map.of(rogue, "ORACLE_AGGREGATOR", deployment.feeVault(), "FEE_VAULT")));

    RawTransactionManager sender =
        new RawTransactionManager(
            web3j, Credentials.create(AnvilNode.DEV_ACCOUNT_1_PRIVATE_KEY), anvil.chainId());
    String rogueTx =
        sender
            .sendTransaction(
                BigInteger.valueOf(20_000_000_000L),
                BigInteger.valueOf(100_000),
                rogue,
                "0x",
                BigInteger.ZERO)
            .getTransactionHash()
            .toLowerCase();
    TransactionReceipt after = feeVault.depositETH(user, ONE_CENT_ETH).send();

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              poll();
              assertThat(liveEventsOf(after)).hasSize(1);
              assertThat(quarantined())
                  .singleElement()
                  .satisfies(
                      q -> {
                        assertThat(q.getLog().getTxHash()).isEqualTo(rogueTx);
                        assertThat(q.getLog().getContract()).isEqualTo(rogue);
                        assertThat(q.getEvent()).isEqualTo("Synced");
                        assertThat(q.getData()).isEqualTo("0x000000");
                        assertThat(q.getTopics()).hasSize(2);
                        assertThat(q.getReason()).isNotBlank();
                      });
            });
    awaitCaughtUp(indexer);
    assertThat(status(indexer).get("state").asString()).isEqualTo("RUNNING");
    assertThat(get(indexer, "/actuator/prometheus").body())
        .containsPattern("rbtc_indexer_logs_quarantined_total\\{chain=\"31337\"} 1.0");
    JsonNode reconciliation = post(indexer, "/status/reconcile");
    assertThat(reconciliation.get("outcome").asString()).isEqualTo("MATCH");
    assertThat(reconciliation.get("quarantined").asLong()).isEqualTo(1);
  }

  @Test
  void lowersConfirmedAndFinalizedAfterAReorgBelowThemAndLabelsRecordsWithTheirFinality()
      throws Exception {
    ConfigurableApplicationContext indexer = startIndexer();
    String user = "0xa300000000000000000000000000000000000003";
    TransactionReceipt deposit = feeVault.depositETH(user, ONE_CENT_ETH).send();
    mine(3);
    awaitCaughtUp(indexer);
    EthBlock.Block safe =
        web3j.ethGetBlockByNumber(DefaultBlockParameterName.SAFE, false).send().getBlock();
    EthBlock.Block finalized =
        web3j.ethGetBlockByNumber(DefaultBlockParameterName.FINALIZED, false).send().getBlock();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              poll();
              // The node's tags, not the configured depths (2 and 6 in this testbed).
              assertThat(latestMarker(BlockMarkerKind.CONFIRMED).getBlockHash())
                  .isEqualTo(safe.getHash().toLowerCase());
              assertThat(latestMarker(BlockMarkerKind.FINALIZED).getBlockHash())
                  .isEqualTo(finalized.getHash().toLowerCase());
            });
    long depositBlock = blockOf(deposit);
    assertThat(finalized.getNumber().longValueExact()).isGreaterThanOrEqualTo(depositBlock);
    int before = allMarkers().size();

    // Replaces the deposit's block (finalized) and the three above it.
    new Request<>("anvil_reorg", List.of(4, List.of()), rpc, VoidResponse.class).send();

    String depositId = eventIdOf(single(liveEventsOf(deposit)));
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              poll();
              assertThat(retractionsOf(depositId)).hasSize(1);
              List<BlockMarker> after = allMarkers().subList(before, allMarkers().size());
              int lastRetracted = -1;
              for (int i = 0; i < after.size(); i++) {
                if (after.get(i).getKind() == BlockMarkerKind.RETRACTED) {
                  lastRetracted = i;
                }
              }
              assertThat(lastRetracted).isNotNegative();
              List<BlockMarker> following = after.subList(lastRetracted + 1, after.size());
              assertThat(following)
                  .as("markers after the last RETRACTED one")
                  .anySatisfy(
                      m -> {
                        assertThat(m.getKind()).isEqualTo(BlockMarkerKind.FINALIZED);
                        assertThat(m.getBlockNumber()).isEqualTo(depositBlock - 1);
                      })
                  .anySatisfy(
                      m -> {
                        assertThat(m.getKind()).isEqualTo(BlockMarkerKind.CONFIRMED);
                        assertThat(m.getBlockNumber()).isEqualTo(depositBlock - 1);
                      });
            });
    awaitCaughtUp(indexer);
    indexer.close();

    // Published later for a block already at or below the finalized height: labelled FINALIZED.
    // (Another amount: the reorg dropped the first deposit, so the same call would be the same
    // transaction, with the same hash, mined again.)
    TransactionReceipt late = feeVault.depositETH(user, ONE_CENT_ETH.add(BigInteger.TWO)).send();
    mine(4);
    ConfigurableApplicationContext restarted = startIndexer();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              poll();
              assertThat(liveEventsOf(late))
                  .singleElement()
                  .satisfies(
                      r ->
                          assertThat(logOf(r.value()).getFinality()).isEqualTo(Finality.FINALIZED));
            });
    awaitCaughtUp(restarted);
    pollToEnd();
    assertLedgerEqualsCanonicalChain();
  }

  @Test
  void keepsTheCursorSmallWhateverTheReorgWindowHolds() throws Exception {
    // The broker's default for a record is about 1 MiB; the cursor must not need more than 1 KiB.
    setCursorTopicMaxMessageBytes(1_024);
    try (ChainLoad load = new ChainLoad(anvil.rpcUrl(), anvil.chainId(), deployment, 21)) {
      // Blocks of hundreds of records near the head, published at most 300 records a transaction.
      ConfigurableApplicationContext indexer =
          startIndexer(Map.of("rbtc.indexer.max-records-per-transaction", "300"));
      ChainLoad.Generated generated = load.generate(1_500, 150);
      load.automine(true);
      awaitCaughtUp(indexer);
      JsonNode status = status(indexer);
      assertThat(status.get("state").asString()).isEqualTo("RUNNING");
      assertThat(status.get("cursor").get("windowRecords").asLong()).isGreaterThan(1_000);
      assertThat(status.get("cursor").get("bytes").asLong()).isLessThan(1_024);
      assertThat(get(indexer, "/actuator/health/readiness").statusCode()).isEqualTo(200);
      assertThat(generated.logs()).isGreaterThanOrEqualTo(1_500);
      indexer.close();

      // A restart finds the window's records in the database and retracts them after a reorg.
      ConfigurableApplicationContext restarted = startIndexer();
      awaitCaughtUp(restarted);
      assertThat(status(restarted).get("cursor").get("windowRecords").asLong())
          .isGreaterThan(1_000);
      new Request<>("anvil_reorg", List.of(3, List.of()), rpc, VoidResponse.class).send();
      feeVault.depositETH("0xa400000000000000000000000000000000000004", ONE_CENT_ETH).send();
      awaitCaughtUp(restarted);
      pollToEnd();
      assertLedgerEqualsCanonicalChain();
    } finally {
      setCursorTopicMaxMessageBytes(1024 * 1024);
    }
  }

  @Test
  void rewindsToABlockRetractingEverythingAboveItThenIndexesItAgain() throws Exception {
    ConfigurableApplicationContext indexer = startIndexer();
    String user = "0xa500000000000000000000000000000000000005";
    TransactionReceipt first = feeVault.depositETH(user, ONE_CENT_ETH).send();
    TransactionReceipt second = feeVault.depositETH(user, ONE_CENT_ETH).send();
    mine(1);
    awaitCaughtUp(indexer);
    pollToEnd();
    String firstId = eventIdOf(single(liveEventsOf(first)));
    String secondId = eventIdOf(single(liveEventsOf(second)));
    long target = blockOf(first) - 1;

    JsonNode rewound = post(indexer, "/status/rewind?toBlock=" + target);

    assertThat(rewound.get("toBlock").asLong()).isEqualTo(target);
    assertThat(rewound.get("retractedRecords").asLong()).isGreaterThanOrEqualTo(2);
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              poll();
              assertThat(retractionsOf(firstId)).hasSize(1);
              assertThat(retractionsOf(secondId)).hasSize(1);
              assertThat(republished(firstId)).isTrue();
              assertThat(republished(secondId)).isTrue();
            });
    awaitCaughtUp(indexer);
    pollToEnd();
    assertLedgerEqualsCanonicalChain();
  }

  @Test
  void aReorgDeeperThanTheWindowTellsTheOperatorWhichRewindRecovers() throws Exception {
    ConfigurableApplicationContext indexer =
        startIndexer(
            Map.of(
                "rbtc.chain.confirmation-depth", "1",
                "rbtc.chain.finalized-depth", "3",
                "rbtc.chain.node-finality", "false"));
    TransactionReceipt deposit =
        feeVault.depositETH("0xa600000000000000000000000000000000000006", ONE_CENT_ETH).send();
    awaitCaughtUp(indexer);
    // Followed block by block, as live: each block's records are held after it leaves the window
    // (blocks caught up from deeper than the window are not).
    for (int i = 0; i < 5; i++) {
      mine(1);
      awaitCaughtUp(indexer);
    }
    pollToEnd();
    String depositId = eventIdOf(single(liveEventsOf(deposit)));
    long fork = blockOf(deposit) - 2;

    // Seven blocks replaced: the fork is below the three-block reorg window.
    new Request<>("anvil_reorg", List.of(7, List.of()), rpc, VoidResponse.class).send();

    Pattern command = Pattern.compile("/status/rewind\\?toBlock=(\\d+)");
    Matcher[] found = new Matcher[1];
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              JsonNode status = status(indexer);
              assertThat(status.get("state").asString()).isEqualTo("STALLED");
              Matcher m = command.matcher(status.get("failure").asString());
              assertThat(m.find()).as(status.get("failure").asString()).isTrue();
              found[0] = m;
            });
    assertThat(Long.parseLong(found[0].group(1))).isEqualTo(fork);
    assertThat(get(indexer, "/actuator/health/readiness").statusCode()).isEqualTo(503);

    post(indexer, "/status/rewind?toBlock=" + fork);

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              poll();
              assertThat(retractionsOf(depositId)).hasSize(1);
            });
    awaitCaughtUp(indexer);
    assertThat(status(indexer).get("state").asString()).isEqualTo("RUNNING");
    pollToEnd();
    assertLedgerEqualsCanonicalChain();
  }

  @Test
  void aDeletedCursorStallsTheIndexerUntilTheCursorIsRestored() throws Exception {
    ConfigurableApplicationContext first = startIndexer();
    awaitCaughtUp(first);
    first.close();
    pollToEnd();
    IndexerCursor committed = lastCursor();

    // An operator deletes the cursor: a tombstone under the chain's key.
    sendToCursorTopic(null);
    ConfigurableApplicationContext indexer =
        startIndexer(Map.of("rbtc.indexer.max-retry-backoff", "300ms"));
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              JsonNode status = status(indexer);
              assertThat(status.get("state").asString()).isEqualTo("STALLED");
              assertThat(status.get("failure").asString())
                  .contains("was deleted (a tombstone at offset")
                  .contains("rbtc.indexer.on-deleted-cursor=start-over");
            });
    assertThat(get(indexer, "/actuator/health/readiness").statusCode()).isEqualTo(503);

    // Restoring the record lets it go on where it was, publishing nothing twice.
    sendToCursorTopic(committed);
    TransactionReceipt deposit =
        feeVault.depositETH("0xa700000000000000000000000000000000000007", ONE_CENT_ETH).send();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              poll();
              assertThat(liveEventsOf(deposit)).hasSize(1);
            });
    awaitCaughtUp(indexer);
    assertThat(status(indexer).get("state").asString()).isEqualTo("RUNNING");
    pollToEnd();
    assertLedgerEqualsCanonicalChain();
  }

  @Test
  void findsItsCursorAtStartByReadingOnlyTheTailOfALongCursorTopic() throws Exception {
    ConfigurableApplicationContext first = startIndexer();
    awaitCaughtUp(first);
    first.close();
    pollToEnd();
    IndexerCursor committed = lastCursor();
    // A long history under the chain's key (compaction has not run yet), the committed one last.
    sendToCursorTopic(committed, 3_000);

    ConfigurableApplicationContext indexer = startIndexer();
    awaitCaughtUp(indexer);
    Matcher read =
        Pattern.compile("rbtc_indexer_recovery_cursor_records\\{chain=\"31337\"} ([0-9.E]+)")
            .matcher(get(indexer, "/actuator/prometheus").body());
    assertThat(read.find()).as("the recovery gauge").isTrue();
    assertThat(Double.parseDouble(read.group(1)))
        .as("cursor records read at start, of more than 3,000")
        .isBetween(1.0, 64.0);
    TransactionReceipt deposit =
        feeVault.depositETH("0xa800000000000000000000000000000000000008", ONE_CENT_ETH).send();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              poll();
              assertThat(liveEventsOf(deposit)).hasSize(1);
            });
    awaitCaughtUp(indexer);
    pollToEnd();
    assertLedgerEqualsCanonicalChain();
  }

  @Test
  void splitsABurstOfLogsIntoBoundedResponsesAndTransactionsPublishingEachLogOnce()
      throws Exception {
    int maxLogsPerResponse = 150;
    int maxRecordsPerTransaction = 300;
    try (ChainLoad load = new ChainLoad(anvil.rpcUrl(), anvil.chainId(), deployment, 31)) {
      // Blocks of up to 120 logs: any range of two or more of them passes the response bound.
      ChainLoad.Generated burst = load.generate(1_200, 40);
      load.automine(true);
      // Deeper than the reorg window (finalized-depth 6): the burst is backfilled.
      mine(10);
      pollToEnd();
      int mark = seen.size();
      long before =
          seen.stream().anyMatch(r -> r.topic().equals(Topics.INDEXER_CURSOR.name()))
              ? lastCursor().getBlockNumber()
              : -1;

      ConfigurableApplicationContext indexer =
          startIndexer(
              Map.of(
                  "rbtc.indexer.max-logs-per-response",
                  Integer.toString(maxLogsPerResponse),
                  "rbtc.indexer.max-records-per-transaction",
                  Integer.toString(maxRecordsPerTransaction)));
      awaitCaughtUp(indexer);
      pollToEnd();

      assertThat(get(indexer, "/actuator/prometheus").body())
          .as("eth_getLogs answers abandoned past the bound")
          .containsPattern(
              "rbtc_indexer_rpc_failures_total\\{[^}]*kind=\"RANGE_TOO_LARGE\"[^}]*} [1-9]");
      // One cursor record per transaction: a transaction's records are those of the blocks above
      // the previous cursor up to its own.
      List<ConsumerRecord<String, SpecificRecord>> published = seen.subList(mark, seen.size());
      List<Long> cursors =
          published.stream()
              .filter(r -> r.topic().equals(Topics.INDEXER_CURSOR.name()))
              .map(r -> ((IndexerCursor) r.value()).getBlockNumber())
              .toList();
      int transactionsOverBurst = 0;
      long previous = before;
      for (long cursor : cursors) {
        long from = previous;
        long records =
            published.stream()
                .filter(r -> isChainTopic(r.topic()))
                .map(r -> logOf(r.value()).getBlockNumber())
                .filter(block -> block > from && block <= cursor)
                .count();
        assertThat(records)
            .as("records of the transaction up to block %d", cursor)
            .isLessThanOrEqualTo(maxRecordsPerTransaction);
        if (cursor >= burst.firstBlock() && from <= burst.lastBlock()) {
          transactionsOverBurst++;
        }
        previous = cursor;
      }
      assertThat(burst.logs()).isGreaterThanOrEqualTo(1_200);
      assertThat(transactionsOverBurst)
          .isGreaterThanOrEqualTo((int) (burst.logs() / maxRecordsPerTransaction));
      assertLedgerEqualsCanonicalChain();
    }
  }

  private static void sendToCursorTopic(IndexerCursor cursor) throws Exception {
    sendToCursorTopic(cursor, 1);
  }

  private static void sendToCursorTopic(IndexerCursor cursor, int copies) throws Exception {
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString()),
            new StringSerializer(),
            new ByteArraySerializer())) {
      byte[] value = cursor == null ? null : AvroValueSerializer.encode(cursor);
      for (int i = 0; i < copies; i++) {
        producer.send(
            new ProducerRecord<>(Topics.INDEXER_CURSOR.name(), Keys.chain(anvil.chainId()), value));
      }
      producer.flush();
    }
  }

  /** Whether the event was published again after its (last) retraction. */
  private static boolean republished(String eventId) {
    boolean live = false;
    for (ConsumerRecord<String, SpecificRecord> record : seen) {
      if (isChainTopic(record.topic())) {
        ChainLogRef ref = logOf(record.value());
        if (EventIds.of(ref).equals(eventId)) {
          live = !ref.getRetracted();
        }
      }
    }
    return live;
  }

  private static List<QuarantinedLog> quarantined() {
    return seen.stream()
        .filter(r -> r.topic().equals(Topics.CHAIN_QUARANTINE.name()))
        .map(r -> (QuarantinedLog) r.value())
        .filter(q -> !q.getLog().getRetracted())
        .toList();
  }
}
