package com.reservebtc.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.reservebtc.indexer.status.IndexerMetrics;
import com.reservebtc.schemas.Keys;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.BlockMarker;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
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
        .contains("rbtc_indexer_lag_blocks")
        .contains("rbtc_indexer_head_publish_latency_seconds");
    assertLedgerEqualsCanonicalChain();

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
    assertThat(markers(BlockMarkerKind.CONFIRMED))
        .extracting(BlockMarker::getBlockNumber)
        .doesNotHaveDuplicates()
        .isSorted();
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
}
