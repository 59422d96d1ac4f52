package com.reservebtc.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.reservebtc.indexer.FlakyRpcProxy.Fault;
import com.reservebtc.indexer.load.ChainLoad;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import tools.jackson.databind.JsonNode;

/**
 * The indexer against misbehaving nodes: an endpoint that rate-limits, times out, fails and refuses
 * log ranges wider than 8 blocks (narrower than the first range the indexer asks for); an endpoint
 * that is down next to a healthy one; a WebSocket that drops. Indexing completes every time, with
 * exactly the node's events.
 */
class RpcFaultsIT extends IndexerTestbed {

  @Test
  void completesThroughAnEndpointThatRateLimitsTimesOutAndRefusesWideRanges() throws Exception {
    try (ChainLoad load = new ChainLoad(anvil.rpcUrl(), anvil.chainId(), deployment, 11);
        FlakyRpcProxy flaky =
            new FlakyRpcProxy(anvil.rpcUrl(), Duration.ofMillis(1_500), 8, false)) {
      pollToEnd();
      long before = liveChainRecords();
      ChainLoad.Generated generated = load.generate(3_000, 40);
      load.automine(true);

      ConfigurableApplicationContext indexer =
          startIndexer(
              Map.of(
                  "rbtc.chain.rpc-url", flaky.url(),
                  "rbtc.indexer.rpc-timeout", "500ms",
                  "rbtc.indexer.rpc-retry-budget", "5s",
                  "rbtc.indexer.max-retry-backoff", "500ms",
                  "rbtc.indexer.target-logs-per-request", "2000"));
      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () -> {
                poll();
                assertThat(liveChainRecords()).isGreaterThanOrEqualTo(before + generated.logs());
              });
      awaitCaughtUp(indexer);
      assertLedgerEqualsCanonicalChain();
      assertThat(liveChainRecords()).isEqualTo(before + generated.logs());

      for (Fault fault : Fault.values()) {
        assertThat(flaky.injected(fault)).as("%s injected", fault).isPositive();
      }
      JsonNode status = status(indexer);
      // The proxy speaks no WebSocket: heads come from polling.
      assertThat(status.get("headSource").asString()).isEqualTo("polling");
      assertThat(status.get("rpcEndpoints").get(0).get("failures").asLong()).isPositive();
      assertThat(status.get("rpcEndpoints").get(0).get("name").asString()).isEqualTo(flaky.url());
      assertThat(get(indexer, "/actuator/prometheus").body())
          .contains("rbtc_indexer_rpc_failures_total")
          .contains("kind=\"RATE_LIMITED\"")
          .contains("kind=\"RANGE_TOO_LARGE\"")
          .contains("kind=\"UNAVAILABLE\"");

      // Live blocks go through the same endpoint.
      TransactionReceipt deposit =
          feeVault.depositETH("0x5000000000000000000000000000000000000005", ONE_CENT_ETH).send();
      await()
          .atMost(TIMEOUT)
          .untilAsserted(
              () -> {
                poll();
                assertThat(liveEventsOf(deposit)).hasSize(1);
              });
    }
  }

  @Test
  void failsOverToTheNextEndpointWhileTheFirstIsDown() throws Exception {
    try (FlakyRpcProxy down = new FlakyRpcProxy(anvil.rpcUrl(), Duration.ZERO, 1_000, true)) {
      ConfigurableApplicationContext indexer =
          startIndexer(
              Map.of(
                  "rbtc.chain.rpc-urls", down.url() + "," + anvil.rpcUrl(),
                  "rbtc.chain.ws-urls", "ws://127.0.0.1:" + anvil.port()));
      TransactionReceipt deposit =
          feeVault.depositETH("0x6000000000000000000000000000000000000006", ONE_CENT_ETH).send();
      await()
          .atMost(TIMEOUT)
          .untilAsserted(
              () -> {
                poll();
                assertThat(liveEventsOf(deposit)).hasSize(1);
              });
      awaitCaughtUp(indexer);
      assertLedgerEqualsCanonicalChain();
      assertThat(down.injected(Fault.HTTP_503)).isPositive();
      JsonNode endpoints = status(indexer).get("rpcEndpoints");
      assertThat(endpoints.get(0).get("failures").asLong()).isPositive();
      assertThat(endpoints.get(1).get("preferred").asBoolean()).isTrue();
      assertThat(get(indexer, "/actuator/prometheus").body())
          .containsPattern("rbtc_indexer_rpc_failovers_total\\{chain=\"31337\"} [1-9]");
    }
  }

  @Test
  void fallsBackToPollingWhenTheWebSocketDropsAndReconnects() throws Exception {
    try (TcpProxy ws = new TcpProxy(anvil.port())) {
      ConfigurableApplicationContext indexer =
          startIndexer(
              Map.of(
                  "rbtc.chain.ws-urls",
                  "ws://127.0.0.1:" + ws.port(),
                  "rbtc.indexer.max-websocket-backoff",
                  "1s"));
      awaitHeadSource(indexer, "websocket");

      ws.cut();
      awaitHeadSource(indexer, "polling");
      TransactionReceipt whilePolling =
          feeVault.depositETH("0x7000000000000000000000000000000000000007", ONE_CENT_ETH).send();
      await()
          .atMost(TIMEOUT)
          .untilAsserted(
              () -> {
                poll();
                assertThat(liveEventsOf(whilePolling)).hasSize(1);
              });

      ws.restore();
      awaitHeadSource(indexer, "websocket");
      TransactionReceipt afterReconnect =
          feeVault.depositETH("0x7000000000000000000000000000000000000007", ONE_CENT_ETH).send();
      await()
          .atMost(TIMEOUT)
          .untilAsserted(
              () -> {
                poll();
                assertThat(liveEventsOf(afterReconnect)).hasSize(1);
              });
      awaitCaughtUp(indexer);
      assertLedgerEqualsCanonicalChain();
    }
  }

  private void awaitHeadSource(ConfigurableApplicationContext indexer, String source) {
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> assertThat(status(indexer).get("headSource").asString()).startsWith(source));
  }
}
