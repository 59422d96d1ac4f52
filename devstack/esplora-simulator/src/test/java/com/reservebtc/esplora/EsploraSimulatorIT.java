package com.reservebtc.esplora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** The simulator over real HTTP on a free port, as the oracle and the local stack use it. */
class EsploraSimulatorIT {
  private static final String ALICE = TestAddresses.p2wpkh(1);
  private static final String BOB = TestAddresses.p2tr(2);
  private static final String GENESIS =
      "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206";

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private EsploraSimulator simulator;

  @BeforeEach
  void start() {
    simulator = new EsploraSimulator(SimulatorConfig.defaults()).start();
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  @Test
  void listensOnAFreeLoopbackPort() {
    assertThat(simulator.port()).isPositive();
    assertThat(simulator.baseUrl()).isEqualTo("http://127.0.0.1:" + simulator.port());
  }

  @Test
  void servesTheTipAndBlocksLikeEsplora() throws Exception {
    HttpResponse<String> height = get("/blocks/tip/height");
    assertThat(height.statusCode()).isEqualTo(200);
    assertThat(height.headers().firstValue("Content-Type")).contains("text/plain");
    assertThat(height.body()).isEqualTo("0");
    assertThat(get("/blocks/tip/hash").body()).isEqualTo(GENESIS);
    assertThat(get("/block-height/0").body()).isEqualTo(GENESIS);
    assertText(get("/block-height/1"), 404, "Block not found");
    assertText(get("/block-height/x1"), 400, "Invalid number");
    assertText(get("/block/" + "ab".repeat(32)), 404, "Block not found");
    assertText(get("/block/abc"), 400, "Invalid hash string");

    JsonNode genesis = json(get("/block/" + GENESIS));
    assertThat(genesis.propertyNames())
        .containsExactly(
            "id",
            "height",
            "version",
            "timestamp",
            "tx_count",
            "size",
            "weight",
            "merkle_root",
            "previousblockhash",
            "mediantime",
            "nonce",
            "bits",
            "difficulty");
    assertThat(genesis.get("id").stringValue()).isEqualTo(GENESIS);
    assertThat(genesis.get("timestamp").longValue()).isEqualTo(1296688602L);
    assertThat(genesis.get("previousblockhash").isNull()).isTrue();

    String mined = post("/dev/mine", "{}").get("hash").stringValue();
    JsonNode block = json(get("/block/" + mined));
    assertThat(block.get("height").intValue()).isEqualTo(1);
    assertThat(block.get("previousblockhash").stringValue()).isEqualTo(GENESIS);
    assertThat(get("/block/" + GENESIS + "/status").body())
        .isEqualTo("{\"in_best_chain\":true,\"height\":0,\"next_best\":\"" + mined + "\"}");
  }

  @Test
  void fundThenMineShowsTheConfirmedBalanceInChainStats() throws Exception {
    String txid = post("/dev/fund", fundBody(ALICE, 50_000)).get("txid").stringValue();
    assertThat(txid).matches("[0-9a-f]{64}");

    JsonNode mined = post("/dev/mine", "{\"blocks\":1}");

    assertThat(mined.get("height").intValue()).isEqualTo(1);
    HttpResponse<String> address = get("/address/" + ALICE);
    assertThat(address.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(address.body())
        .isEqualTo(
            "{\"address\":\""
                + ALICE
                + "\",\"chain_stats\":{\"funded_txo_count\":1,\"funded_txo_sum\":50000,"
                + "\"spent_txo_count\":0,\"spent_txo_sum\":0,\"tx_count\":1},"
                + "\"mempool_stats\":{\"funded_txo_count\":0,\"funded_txo_sum\":0,"
                + "\"spent_txo_count\":0,\"spent_txo_sum\":0,\"tx_count\":0}}");
    assertThat(get("/tx/" + txid + "/status").body())
        .isEqualTo(
            "{\"confirmed\":true,\"block_height\":1,\"block_hash\":\""
                + mined.get("hash").stringValue()
                + "\",\"block_time\":"
                + json(get("/block/" + mined.get("hash").stringValue())).get("timestamp")
                + "}");
  }

  @Test
  void mempoolFundingIsReportedButNotConfirmed() throws Exception {
    String txid = post("/dev/fund", fundBody(ALICE, 7_000)).get("txid").stringValue();

    JsonNode address = json(get("/address/" + ALICE));
    assertThat(address.get("chain_stats").get("funded_txo_sum").longValue()).isZero();
    assertThat(address.get("chain_stats").get("tx_count").longValue()).isZero();
    assertThat(address.get("mempool_stats").get("funded_txo_sum").longValue()).isEqualTo(7_000);
    assertThat(get("/address/" + ALICE + "/utxo").body())
        .isEqualTo(
            "[{\"txid\":\""
                + txid
                + "\",\"vout\":0,\"status\":{\"confirmed\":false},\"value\":7000}]");
    assertThat(json(get("/mempool/txids")).get(0).stringValue()).isEqualTo(txid);
    assertThat(get("/tx/" + txid + "/status").body()).isEqualTo("{\"confirmed\":false}");
  }

  @Test
  void spendSendsToTheSinkWithChangeBack() throws Exception {
    post("/dev/fund", fundBody(ALICE, 100_000));
    post("/dev/mine", "{}");

    String spend = post("/dev/spend", fundBody(ALICE, 30_000)).get("txid").stringValue();

    JsonNode pending = json(get("/address/" + ALICE)).get("mempool_stats");
    assertThat(pending.get("spent_txo_sum").longValue()).isEqualTo(100_000);
    assertThat(pending.get("funded_txo_sum").longValue()).isEqualTo(70_000);
    post("/dev/mine", "{}");
    JsonNode chain = json(get("/address/" + ALICE)).get("chain_stats");
    assertThat(chain.get("funded_txo_sum").longValue() - chain.get("spent_txo_sum").longValue())
        .isEqualTo(70_000);
    assertThat(chain.get("tx_count").longValue()).isEqualTo(2);
    JsonNode utxos = json(get("/address/" + ALICE + "/utxo"));
    assertThat(utxos).hasSize(1);
    assertThat(utxos.get(0).get("txid").stringValue()).isEqualTo(spend);
    assertThat(utxos.get(0).get("value").longValue()).isEqualTo(70_000);
    JsonNode sink = json(get("/address/" + simulator.sinkAddress())).get("chain_stats");
    assertThat(sink.get("funded_txo_sum").longValue()).isEqualTo(30_000);
  }

  @Test
  void spendToAnotherAddressWithAFee() throws Exception {
    post("/dev/fund", fundBody(ALICE, 10_000));
    post("/dev/mine", "{}");

    post(
        "/dev/spend",
        "{\"address\":\"" + ALICE + "\",\"sats\":4000,\"to\":\"" + BOB + "\",\"feeSats\":250}");
    post("/dev/mine", "{}");

    assertThat(balance(ALICE)).isEqualTo(5_750);
    assertThat(balance(BOB)).isEqualTo(4_000);
  }

  @Test
  void spendBeyondTheConfirmedBalanceIsA400() throws Exception {
    post("/dev/fund", fundBody(ALICE, 1_000));

    HttpResponse<String> response = postRaw("/dev/spend", fundBody(ALICE, 500));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get("error").stringValue())
        .startsWith("insufficient confirmed funds");
  }

  @Test
  void confirmationsFollowFromUtxoHeightAndTip() throws Exception {
    post("/dev/fund", fundBody(ALICE, 1_000));
    post("/dev/mine", "{}");
    post("/dev/mine", "{\"blocks\":5}");

    JsonNode status = json(get("/address/" + ALICE + "/utxo")).get(0).get("status");
    int tip = Integer.parseInt(get("/blocks/tip/height").body());

    assertThat(status.get("confirmed").booleanValue()).isTrue();
    assertThat(tip - status.get("block_height").intValue() + 1).isEqualTo(6);
    assertThat(status.get("block_hash").stringValue())
        .isEqualTo(get("/block-height/" + status.get("block_height").intValue()).body());
    assertThat(status.get("block_time").longValue())
        .isEqualTo(
            json(get("/block/" + status.get("block_hash").stringValue()))
                .get("timestamp")
                .longValue());
  }

  @Test
  void reorgDroppingTheFundingTransactionRemovesTheBalanceAndChangesTheTip() throws Exception {
    String funding = post("/dev/fund", fundBody(ALICE, 50_000)).get("txid").stringValue();
    post("/dev/fund", fundBody(BOB, 20_000));
    String oldTip = post("/dev/mine", "{\"blocks\":2}").get("hash").stringValue();
    String fundingBlock = get("/block-height/1").body();
    assertThat(balance(ALICE)).isEqualTo(50_000);

    JsonNode reorg = post("/dev/reorg", "{\"depth\":2,\"dropTxids\":[\"" + funding + "\"]}");

    assertThat(reorg.get("oldTip").get("hash").stringValue()).isEqualTo(oldTip);
    assertThat(reorg.get("newTip").get("height").intValue()).isEqualTo(3);
    assertThat(reorg.get("dropped").get(0).stringValue()).isEqualTo(funding);
    assertThat(get("/blocks/tip/hash").body())
        .isEqualTo(reorg.get("newTip").get("hash").stringValue())
        .isNotEqualTo(oldTip);
    assertThat(get("/blocks/tip/height").body()).isEqualTo("3");
    assertThat(balance(ALICE)).isZero();
    assertThat(json(get("/address/" + ALICE)).get("mempool_stats").get("tx_count").longValue())
        .isZero();
    assertThat(balance(BOB)).isEqualTo(20_000);
    assertText(get("/block/" + fundingBlock), 404, "Block not found");
    assertThat(get("/block/" + fundingBlock + "/status").body())
        .isEqualTo("{\"in_best_chain\":false,\"height\":null,\"next_best\":null}");
    assertThat(get("/tx/" + funding + "/status").body()).isEqualTo("{\"confirmed\":false}");
  }

  @Test
  void reorgWithoutDropsReconfirmsInTheFirstReplacementBlock() throws Exception {
    post("/dev/fund", fundBody(ALICE, 3_000));
    post("/dev/mine", "{}");

    JsonNode reorg = post("/dev/reorg", "{\"depth\":1,\"newBlocks\":3}");

    assertThat(reorg.get("newTip").get("height").intValue()).isEqualTo(3);
    JsonNode status = json(get("/address/" + ALICE + "/utxo")).get(0).get("status");
    assertThat(status.get("block_height").intValue()).isEqualTo(1);
    assertThat(status.get("block_hash").stringValue()).isEqualTo(get("/block-height/1").body());
  }

  @Test
  void http429FaultsThenRecovery() throws Exception {
    post("/dev/faults", "{\"mode\":\"http429\",\"remaining\":2}");

    for (int i = 0; i < 2; i++) {
      HttpResponse<String> limited = get("/address/" + ALICE);
      assertThat(limited.statusCode()).isEqualTo(429);
      assertThat(limited.headers().firstValue("Retry-After")).contains("1");
    }
    assertThat(get("/address/" + ALICE).statusCode()).isEqualTo(200);
    assertThat(json(get("/dev/faults")).get("mode").stringValue()).isEqualTo("none");
  }

  @Test
  void devControlsAreNeverFaulted() throws Exception {
    post("/dev/faults", "{\"mode\":\"http500\"}");

    assertThat(get("/blocks/tip/height").statusCode()).isEqualTo(500);
    assertThat(json(get("/dev/state")).get("fault").get("mode").stringValue()).isEqualTo("http500");
    post("/dev/mine", "{}");

    post("/dev/faults", "{\"mode\":\"none\"}");
    assertThat(get("/blocks/tip/height").body()).isEqualTo("1");
  }

  @Test
  void timeoutFaultOutlastsTheClientThenRecovers() throws Exception {
    post("/dev/faults", "{\"mode\":\"timeout\",\"delayMs\":20000,\"remaining\":1}");

    HttpRequest impatient =
        HttpRequest.newBuilder(uri("/blocks/tip/height")).timeout(Duration.ofMillis(300)).build();
    assertThatThrownBy(() -> http.send(impatient, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(HttpTimeoutException.class);

    assertThat(get("/blocks/tip/height").body()).isEqualTo("0");
  }

  @Test
  void timeoutFaultAnswersCorrectlyAfterTheDelay() throws Exception {
    post("/dev/fund", fundBody(ALICE, 1_234));
    post("/dev/mine", "{}");
    String expected = get("/address/" + ALICE).body();
    post("/dev/faults", "{\"mode\":\"timeout\",\"delayMs\":300,\"pathPrefix\":\"/address/\"}");

    long started = System.nanoTime();
    HttpResponse<String> delayed = get("/address/" + ALICE);

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(250));
    assertThat(delayed.statusCode()).isEqualTo(200);
    assertThat(delayed.body()).isEqualTo(expected);
  }

  @Test
  void garbageAndServerErrorFaultsOnlyHitTheirPrefix() throws Exception {
    post("/dev/faults", "{\"mode\":\"garbage\",\"pathPrefix\":\"/address/\",\"remaining\":1}");
    HttpResponse<String> garbage = get("/address/" + ALICE);
    assertThat(garbage.statusCode()).isEqualTo(200);
    assertThatThrownBy(() -> json(garbage)).isInstanceOf(JacksonException.class);

    post("/dev/faults", "{\"mode\":\"http500\",\"pathPrefix\":\"/address/\"}");
    assertThat(get("/address/" + ALICE).statusCode()).isEqualTo(500);
    assertThat(get("/blocks/tip/height").statusCode()).isEqualTo(200);
  }

  @Test
  void invalidAddressesAreA400InPlainTextLikeEsplora() throws Exception {
    assertText(get("/address/not-an-address"), 400, "Invalid Bitcoin address");
    assertText(get("/address/not-an-address/utxo"), 400, "Invalid Bitcoin address");
    assertText(
        get("/address/" + TestAddresses.mainnetP2wpkh(1)), 400, "Address on invalid network");
  }

  @Test
  void badDevInputIsA400WithAJsonErrorAndChangesNothing() throws Exception {
    List<String> bodies =
        List.of(
            "{\"address\":\"nope\",\"sats\":1}",
            "{\"address\":\"" + ALICE + "\",\"sats\":0}",
            "{\"address\":\"" + ALICE + "\",\"sats\":-5}",
            "{\"address\":\"" + ALICE + "\",\"sats\":1.5}",
            "{\"address\":\"" + ALICE + "\",\"sats\":\"100\"}",
            "{\"address\":\"" + ALICE + "\",\"sats\":99999999999999999999}",
            "{\"address\":\"" + ALICE + "\",\"sats\":2100000000000001}",
            "{\"address\":\"" + ALICE + "\",\"sat\":100}",
            "{\"address\":\"" + ALICE + "\"",
            "[1,2]");
    for (String body : bodies) {
      HttpResponse<String> response = postRaw("/dev/fund", body);
      assertThat(response.statusCode()).as(body).isEqualTo(400);
      assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
      assertThat(json(response).get("error").stringValue()).as(body).isNotBlank();
    }
    assertThat(postRaw("/dev/mine", "{\"blocks\":0}").statusCode()).isEqualTo(400);
    assertThat(postRaw("/dev/reorg", "{\"depth\":1}").statusCode()).isEqualTo(400);
    assertThat(postRaw("/dev/faults", "{\"mode\":\"slow\"}").statusCode()).isEqualTo(400);
    assertThat(postRaw("/dev/nope", "{}").statusCode()).isEqualTo(404);
    assertThat(get("/dev/fund").statusCode()).isEqualTo(405);

    JsonNode state = json(get("/dev/state"));
    assertThat(state.get("mempoolSize").intValue()).isZero();
    assertThat(state.get("tipHeight").intValue()).isZero();
  }

  @Test
  void unknownEndpointsAreA404() throws Exception {
    assertText(get("/nope"), 404, "endpoint does not exist \"/nope\"");
  }

  @Test
  void bulkFundingPaysManyAddressesInOneTransaction() throws Exception {
    StringBuilder body = new StringBuilder("{\"outputs\":[");
    for (int i = 0; i < 500; i++) {
      body.append(i == 0 ? "" : ",")
          .append("{\"address\":\"")
          .append(TestAddresses.p2wpkh(1000 + i))
          .append("\",\"sats\":")
          .append(1_000 + i)
          .append('}');
    }
    post("/dev/fund", body.append("]}").toString());
    post("/dev/mine", "{}");

    assertThat(balance(TestAddresses.p2wpkh(1000))).isEqualTo(1_000);
    assertThat(balance(TestAddresses.p2wpkh(1499))).isEqualTo(1_499);
    JsonNode state = json(get("/dev/state"));
    assertThat(state.get("addressCount").intValue()).isEqualTo(500);
    assertThat(state.get("mempoolSize").intValue()).isZero();
  }

  @Test
  void servesConcurrentReadsWhileMining() throws Exception {
    post("/dev/fund", fundBody(ALICE, 5_000));
    post("/dev/mine", "{}");
    List<CompletableFuture<HttpResponse<String>>> reads = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      reads.add(
          http.sendAsync(
              HttpRequest.newBuilder(uri("/address/" + ALICE)).build(),
              HttpResponse.BodyHandlers.ofString()));
      if (i % 50 == 0) {
        post("/dev/mine", "{}");
      }
    }
    for (CompletableFuture<HttpResponse<String>> read : reads) {
      HttpResponse<String> response = read.join();
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(json(response).get("chain_stats").get("funded_txo_sum").longValue())
          .isEqualTo(5_000);
    }
  }

  @Test
  void stateFileCarriesTheChainAcrossRestarts(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bitcoin.json");
    SimulatorConfig config = SimulatorConfig.defaults().withStateFile(file);
    String tipHash;
    String address;
    String utxos;
    String pending;
    try (EsploraSimulator first = new EsploraSimulator(config).start()) {
      simulator.close();
      simulator = first;
      post("/dev/fund", fundBody(ALICE, 80_000));
      post("/dev/mine", "{\"blocks\":3}");
      post("/dev/spend", fundBody(ALICE, 10_000));
      pending = post("/dev/fund", fundBody(BOB, 1)).get("txid").stringValue();
      tipHash = get("/blocks/tip/hash").body();
      address = get("/address/" + ALICE).body();
      utxos = get("/address/" + ALICE + "/utxo").body();
    }
    assertThat(Files.exists(file)).isTrue();

    simulator = new EsploraSimulator(config).start();

    assertThat(get("/blocks/tip/hash").body()).isEqualTo(tipHash);
    assertThat(get("/address/" + ALICE).body()).isEqualTo(address);
    assertThat(get("/address/" + ALICE + "/utxo").body()).isEqualTo(utxos);
    assertThat(json(get("/mempool/txids")).get(1).stringValue()).isEqualTo(pending);
    post("/dev/mine", "{}");
    assertThat(balance(ALICE)).isEqualTo(70_000);
  }

  @Test
  void stateFileOfAnotherNetworkIsRefused(@TempDir Path dir) {
    Path file = dir.resolve("bitcoin.json");
    new EsploraSimulator(SimulatorConfig.defaults().withStateFile(file)).close();

    assertThatThrownBy(
            () ->
                new EsploraSimulator(
                    SimulatorConfig.defaults().withStateFile(file).withNetwork(Network.TESTNET)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("regtest");
  }

  private long balance(String address) throws IOException, InterruptedException {
    JsonNode chain = json(get("/address/" + address)).get("chain_stats");
    return chain.get("funded_txo_sum").longValue() - chain.get("spent_txo_sum").longValue();
  }

  private static String fundBody(String address, long sats) {
    return "{\"address\":\"" + address + "\",\"sats\":" + sats + "}";
  }

  private URI uri(String path) {
    return URI.create(simulator.baseUrl() + path);
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> postRaw(String path, String body)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode post(String path, String body) throws IOException, InterruptedException {
    HttpResponse<String> response = postRaw(path, body);
    assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
    return json(response);
  }

  private static JsonNode json(HttpResponse<String> response) {
    return JsonCodec.MAPPER.readTree(response.body());
  }

  private static void assertText(HttpResponse<String> response, int status, String body) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).contains("text/plain");
    assertThat(response.body()).isEqualTo(body);
  }
}
