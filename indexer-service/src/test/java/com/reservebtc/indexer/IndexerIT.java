package com.reservebtc.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.reservebtc.indexer.status.IndexerMetrics;
import com.reservebtc.schemas.Keys;
import com.reservebtc.schemas.Service;
import com.reservebtc.schemas.Topic;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.BlockMarkerKind;
import com.reservebtc.schemas.avro.ChainLogRef;
import com.reservebtc.schemas.avro.FeeVaultEvent;
import com.reservebtc.schemas.avro.FeeVaultEventKind;
import com.reservebtc.schemas.avro.Finality;
import com.reservebtc.schemas.avro.IndexerCursor;
import com.reservebtc.schemas.avro.SyncedEvent;
import com.reservebtc.schemas.avro.Token;
import com.reservebtc.schemas.avro.TokenEvent;
import com.reservebtc.schemas.avro.TokenEventKind;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.core.methods.response.VoidResponse;
import tools.jackson.databind.JsonNode;

/**
 * The indexer against a real chain, broker and database: what a read_committed consumer sees for
 * real protocol transactions, across restarts, reorgs and a second instance.
 */
class IndexerIT extends IndexerTestbed {

  @Test
  void publishesProtocolEventsExactlyOnceWithChainTimestampsAcrossRestarts() throws Exception {
    String user = "0x1000000000000000000000000000000000000001";
    TransactionReceipt deposit = feeVault.depositETH(user, ONE_CENT_ETH).send();
    TransactionReceipt sync = aggregator.sync(user, BigInteger.valueOf(50_000), new byte[0]).send();
    ConfigurableApplicationContext indexer = startIndexer();

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              poll();
              assertThat(liveEventsOf(deposit)).hasSize(1);
              assertThat(liveEventsOf(sync)).hasSize(3);
            });

    // Indexed after both blocks were mined: the node's safe tag (one block below its head) is the
    // deposit's block, so the deposit is published CONFIRMED and the sync's records PENDING.
    assertThat(logOf(single(liveEventsOf(deposit)).value()).getFinality())
        .isEqualTo(Finality.CONFIRMED);
    assertThat(liveEventsOf(sync))
        .allSatisfy(r -> assertThat(logOf(r.value()).getFinality()).isEqualTo(Finality.PENDING));
    FeeVaultEvent deposited = (FeeVaultEvent) single(liveEventsOf(deposit)).value();
    assertThat(deposited.getKind()).isEqualTo(FeeVaultEventKind.DEPOSITED);
    assertThat(deposited.getUser()).isEqualTo(user);
    assertThat(deposited.getAmountWei()).isEqualTo(ONE_CENT_ETH.toString());
    assertMatchesReceipt(deposited.getLog(), deposit, deployment.feeVault());

    Map<String, ConsumerRecord<String, SpecificRecord>> byTopic =
        liveEventsOf(sync).stream().collect(Collectors.toMap(ConsumerRecord::topic, r -> r));
    SyncedEvent synced = (SyncedEvent) byTopic.get(Topics.CHAIN_SYNCED.name()).value();
    assertThat(byTopic.get(Topics.CHAIN_SYNCED.name()).key()).isEqualTo(user);
    assertThat(synced.getUser()).isEqualTo(user);
    assertThat(synced.getNewBalanceSats()).isEqualTo(50_000L);
    assertThat(synced.getDeltaSats()).isEqualTo(50_000L);
    // 0.001 ETH fixed + 50,000 sats * 1e12 wei * 1 %.
    assertThat(synced.getFeeWei()).isEqualTo("1500000000000000");
    assertThat(synced.getHeight()).isZero();
    assertThat(synced.getTimestamp()).isEqualTo(synced.getLog().getBlockTimestamp());
    assertMatchesReceipt(synced.getLog(), sync, deployment.oracleAggregator());

    TokenEvent mint = (TokenEvent) byTopic.get(Topics.CHAIN_TOKEN_TRANSFERS.name()).value();
    assertThat(byTopic.get(Topics.CHAIN_TOKEN_TRANSFERS.name()).key()).isEqualTo(user);
    assertThat(mint.getToken()).isEqualTo(Token.RBTC_SYNTH);
    assertThat(mint.getKind()).isEqualTo(TokenEventKind.MINT);
    assertThat(mint.getUser()).isEqualTo(user);
    assertThat(mint.getAmount()).isEqualTo("50000");
    assertMatchesReceipt(mint.getLog(), sync, deployment.synth());

    FeeVaultEvent spent = (FeeVaultEvent) byTopic.get(Topics.CHAIN_FEE_VAULT.name()).value();
    assertThat(spent.getKind()).isEqualTo(FeeVaultEventKind.SPENT);
    assertThat(spent.getAmountWei()).isEqualTo("1500000000000000");
    assertThat(spent.getSpentBy()).isEqualTo(deployment.oracleAggregator());
    assertMatchesReceipt(spent.getLog(), sync, deployment.feeVault());

    awaitCaughtUp(indexer);
    JsonNode status = status(indexer);
    assertThat(status.get("chainId").asLong()).isEqualTo(anvil.chainId());
    assertThat(status.get("state").asString()).isEqualTo("RUNNING");
    assertThat(status.get("lagBlocks").asLong()).isZero();
    assertThat(status.get("deployments")).hasSize(5);
    assertThat(status.get("publishedSinceStart").get(Topics.CHAIN_SYNCED.name()).asLong())
        .isPositive();
    assertThat(get(indexer, "/actuator/health/readiness").statusCode()).isEqualTo(200);
    assertThat(get(indexer, "/actuator/health/liveness").statusCode()).isEqualTo(200);
    assertThat(get(indexer, "/actuator/prometheus").body())
        .contains("rbtc_indexer_records_published_total")
        .contains("rbtc_indexer_logs_total")
        .contains("rbtc_indexer_lag_blocks")
        .contains("rbtc_indexer_head_publish_latency_seconds")
        .contains("rbtc_indexer_websocket_live{chain=\"31337\"} 1.0");
    assertThat(status.get("headSource").asString()).startsWith("websocket");
    assertLedgerEqualsCanonicalChain();

    // The newest blocks, compared event by event with the node.
    JsonNode reconciliation = post(indexer, "/status/reconcile");
    assertThat(reconciliation.get("outcome").asString()).isEqualTo("MATCH");
    assertThat(reconciliation.get("events"))
        .anySatisfy(
            e -> {
              assertThat(e.get("contract").asString()).isEqualTo(deployment.oracleAggregator());
              assertThat(e.get("event").asString()).isEqualTo("Synced");
              assertThat(e.get("node").asLong()).isEqualTo(1);
              assertThat(e.get("published").asLong()).isEqualTo(1);
            });
    JsonNode vault = deploymentStatus(indexer, deployment.feeVault());
    assertThat(vault.get("indexedThrough").asLong()).isEqualTo(status.get("indexedBlock").asLong());
    assertThat(vault.get("counts").get("Deposited").asLong()).isPositive();
    assertThat(vault.get("counts").get("Spent").asLong()).isPositive();

    indexer.close();
    TransactionReceipt topUp = feeVault.depositETH(user, ONE_CENT_ETH).send();
    TransactionReceipt secondSync =
        aggregator.sync(user, BigInteger.valueOf(80_000), new byte[0]).send();
    ConfigurableApplicationContext restarted = startIndexer();

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              poll();
              assertThat(liveEventsOf(topUp)).hasSize(1);
              assertThat(liveEventsOf(secondSync)).hasSize(3);
            });
    awaitCaughtUp(restarted);
    poll();
    assertLedgerEqualsCanonicalChain();
    assertThat(liveEventsOf(deposit)).hasSize(1);
    assertThat(liveEventsOf(sync)).hasSize(3);
    assertThat(markers(BlockMarkerKind.HEAD)).isNotEmpty();
    assertThat(latestMarker(BlockMarkerKind.CONFIRMED).getBlockNumber())
        .isLessThanOrEqualTo(latestMarker(BlockMarkerKind.HEAD).getBlockNumber());
    IndexerCursor cursor = lastCursor();
    assertThat(cursor.getBlockNumber()).isGreaterThanOrEqualTo(blockOf(secondSync));
    assertThat(Keys.chain(cursor.getChainId())).isEqualTo(Long.toString(anvil.chainId()));
  }

  @Test
  void retractsEventsOfOrphanedBlocks() throws Exception {
    ConfigurableApplicationContext indexer = startIndexer();
    String user = "0x2000000000000000000000000000000000000002";
    TransactionReceipt first = feeVault.depositETH(user, ONE_CENT_ETH).send();
    TransactionReceipt second = feeVault.depositETH(user, ONE_CENT_ETH.add(BigInteger.ONE)).send();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              poll();
              assertThat(liveEventsOf(first)).hasSize(1);
              assertThat(liveEventsOf(second)).hasSize(1);
            });
    String orphanedHash = second.getBlockHash().toLowerCase();
    String firstId = eventIdOf(liveEventsOf(first).get(0));
    String secondId = eventIdOf(liveEventsOf(second).get(0));

    // Replace the two blocks holding the deposits with empty blocks at the same heights.
    new Request<>("anvil_reorg", List.of(2, List.of()), rpc, VoidResponse.class).send();

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              poll();
              assertThat(retractionsOf(firstId)).hasSize(1);
              assertThat(retractionsOf(secondId)).hasSize(1);
              assertThat(markers(BlockMarkerKind.RETRACTED))
                  .anySatisfy(
                      m -> {
                        assertThat(m.getBlockNumber()).isEqualTo(blockOf(second));
                        assertThat(m.getBlockHash()).isEqualTo(orphanedHash);
                      });
            });
    ChainLogRef retracted = retractionsOf(secondId).get(0);
    assertThat(retracted.getBlockHash()).isEqualTo(orphanedHash);
    assertThat(retracted.getFinality()).isEqualTo(Finality.PENDING);
    assertThat(markers(BlockMarkerKind.RETRACTED))
        .filteredOn(m -> m.getBlockHash().equals(orphanedHash))
        .singleElement()
        .satisfies(m -> assertThat(m.getBlockTimestamp()).isEqualTo(retracted.getBlockTimestamp()));

    feeVault.depositETH(user, BigInteger.TWO).send();
    awaitCaughtUp(indexer);
    poll();
    assertLedgerEqualsCanonicalChain();
  }

  @Test
  void aSecondInstanceFencesTheFirstAndNothingIsPublishedTwice() throws Exception {
    ConfigurableApplicationContext first = startIndexer();
    awaitCaughtUp(first);
    ConfigurableApplicationContext second = startIndexer();
    awaitCaughtUp(second);

    TransactionReceipt deposit =
        feeVault.depositETH("0x3000000000000000000000000000000000000003", ONE_CENT_ETH).send();

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              poll();
              assertThat(liveEventsOf(deposit)).hasSize(1);
              assertThat(first.getBean(IndexerMetrics.class).state())
                  .isEqualTo(IndexerMetrics.State.FAILED);
            });
    assertThat(status(first).get("failure").asString()).contains("took over");
    awaitCaughtUp(second);
    poll();
    assertLedgerEqualsCanonicalChain();
  }

  @Test
  void catchesUpAContractAddedLaterFromItsStartBlock() throws Exception {
    String user = "0x8000000000000000000000000000000000000008";
    ConfigurableApplicationContext vaultOnly =
        startIndexer(onlyContracts(Map.of(deployment.feeVault(), "FEE_VAULT")));
    TransactionReceipt deposit = feeVault.depositETH(user, ONE_CENT_ETH).send();
    TransactionReceipt sync = aggregator.sync(user, BigInteger.valueOf(70_000), new byte[0]).send();
    awaitCaughtUp(vaultOnly);
    poll();
    // Only the vault's Spent of the sync: the aggregator and synth are not configured yet.
    assertThat(liveEventsOf(sync))
        .singleElement()
        .satisfies(r -> assertThat(r.topic()).isEqualTo(Topics.CHAIN_FEE_VAULT.name()));
    long tipBefore = status(vaultOnly).get("indexedBlock").asLong();
    vaultOnly.close();

    ConfigurableApplicationContext all = startIndexer();
    // /status lists deployments once the new instance has read the committed cursor. Blocks
    // already final may be caught up at once, so only the range's bounds are certain.
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              JsonNode added = deploymentStatus(all, deployment.oracleAggregator());
              assertThat(added.get("liveFrom").asLong()).isEqualTo(tipBefore + 1);
              assertThat(added.get("startBlock").asLong()).isEqualTo(deployment.deploymentBlock());
              for (JsonNode range : added.get("catchUpRanges")) {
                String[] bounds = range.asString().split("\\.\\.");
                assertThat(Long.parseLong(bounds[0]))
                    .isGreaterThanOrEqualTo(deployment.deploymentBlock());
                assertThat(Long.parseLong(bounds[1])).isLessThanOrEqualTo(tipBefore);
              }
            });
    // Catch-up waits for its blocks to be final (finalized-depth 6 below the head).
    mine(8);
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              poll();
              assertThat(liveEventsOf(sync)).hasSize(3);
            });
    awaitCaughtUp(all);
    awaitCatchUpDone(all);
    assertThat(liveEventsOf(deposit)).hasSize(1);
    JsonNode caughtUp = deploymentStatus(all, deployment.oracleAggregator());
    assertThat(caughtUp.get("indexedThrough").asLong())
        .isEqualTo(status(all).get("indexedBlock").asLong());
    assertThat(caughtUp.get("counts").get("Synced").asLong()).isPositive();
    pollToEnd();
    assertLedgerEqualsCanonicalChain();
  }

  @Test
  void blocksRetractedAfterARestartCarryTheirRealTimestamps() throws Exception {
    ConfigurableApplicationContext indexer = startIndexer();
    TransactionReceipt deposit =
        feeVault.depositETH("0x9000000000000000000000000000000000000009", ONE_CENT_ETH).send();
    mine(1);
    long emptyBlock = web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
    String emptyHash = blockHash(emptyBlock);
    long emptyTimestamp = blockTimestamp(emptyBlock);
    awaitCaughtUp(indexer);
    indexer.close();

    // Both blocks orphaned while no indexer runs; the empty one has no records in the cursor.
    new Request<>("anvil_reorg", List.of(2, List.of()), rpc, VoidResponse.class).send();
    ConfigurableApplicationContext restarted = startIndexer();

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              poll();
              assertThat(markers(BlockMarkerKind.RETRACTED))
                  .filteredOn(m -> m.getBlockHash().equals(emptyHash))
                  .singleElement()
                  .satisfies(
                      m ->
                          assertThat(m.getBlockTimestamp()).isEqualTo(emptyTimestamp).isPositive());
              assertThat(retractionsOf(eventIdOf(single(liveEventsOf(deposit))))).hasSize(1);
            });
    awaitCaughtUp(restarted);
    pollToEnd();
    assertLedgerEqualsCanonicalChain();
  }

  @Test
  void refusesToStartAgainstANodeOfAnotherChain() {
    List<String> args = new ArrayList<>(indexerArgs());
    args.removeIf(arg -> arg.startsWith("--rbtc.chain.id="));
    args.add("--rbtc.chain.id=6342");

    assertThatThrownBy(
            () ->
                new SpringApplicationBuilder(IndexerApplication.class)
                    .run(args.toArray(String[]::new)))
        .hasStackTraceContaining("serves chain id 31337 but rbtc.chain.id (RBTC_CHAIN_ID) is 6342");
  }

  @Test
  void refusesToStartAgainstTopicsThatAreNotAsTheCatalogueRequires() throws Exception {
    EmbeddedKafkaKraftBroker other = new EmbeddedKafkaKraftBroker(1, 1);
    other.kafkaPorts(0);
    other.brokerProperty("transaction.state.log.replication.factor", "1");
    other.brokerProperty("transaction.state.log.min.isr", "1");
    other.brokerProperty("transaction.state.log.num.partitions", "1");
    other.afterPropertiesSet();
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, other.getBrokersAsString()))) {
      List<NewTopic> topics = new ArrayList<>();
      for (Topic<?> topic : Topics.usedBy(Service.INDEXER)) {
        if (topic == Topics.CHAIN_QUARANTINE) {
          continue;
        }
        // The cursor topic without compaction, the synced topic with too few partitions.
        int partitions = topic == Topics.CHAIN_SYNCED ? 2 : topic.partitions();
        topics.add(new NewTopic(topic.name(), partitions, (short) 1));
      }
      admin.createTopics(topics).all().get();

      assertThatThrownBy(
              () ->
                  startIndexer(
                      Map.of("spring.kafka.bootstrap-servers", other.getBrokersAsString())))
          .hasStackTraceContaining("Kafka topics needed by indexer-service")
          .hasStackTraceContaining(Topics.CHAIN_QUARANTINE.name() + ": missing")
          .hasStackTraceContaining(
              Topics.INDEXER_CURSOR.name() + ": cleanup.policy is 'delete', must be exactly")
          .hasStackTraceContaining(Topics.CHAIN_SYNCED.name() + ": has 2 partitions");
      // Production minimums: a single broker's one replica is refused too.
      assertThatThrownBy(
              () ->
                  startIndexer(
                      Map.of(
                          "spring.kafka.bootstrap-servers", other.getBrokersAsString(),
                          "rbtc.kafka.min-replication", "",
                          "rbtc.kafka.min-insync-replicas", "")))
          .hasStackTraceContaining("replication factor 1 is below 3");
    } finally {
      other.destroy();
    }
  }
}
