package com.reservebtc.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.reservebtc.contracts.anvil.AnvilNode;
import com.reservebtc.contracts.generated.FeeVault;
import com.reservebtc.esplora.EsploraSimulator;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.base.ScriptType;
import org.bitcoinj.crypto.ECKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The walking skeleton end to end: the whole local stack (Kafka broker process, PostgreSQL, Anvil
 * with the deployed protocol, the Esplora simulator and all five service jars) on free ports, and
 * one user's life through every service: a signed binding, bitcoin funded and mined, the oracle's
 * sync, the indexer's records, the gateway's read API, yield tracking, and an emergency burn after
 * the user withdraws the fees that a downward sync needs.
 */
class ThinSliceEndToEndIT {

  private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(60);

  @TempDir static Path dataDir;

  private static DevStack stack;
  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper json = new ObjectMapper();

  @BeforeAll
  static void startStack() {
    stack = DevStack.start(DevStackOptions.builder().dataDir(dataDir).freePorts().build());
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void aFundedBitcoinAddressFlowsThroughEveryServiceAndAnEmergencyBurnIsRecorded()
      throws Exception {
    String user = AnvilNode.DEV_ACCOUNT_1_ADDRESS;
    ECKey bitcoinKey = new ECKey();
    String bitcoinAddress =
        bitcoinKey.toAddress(ScriptType.P2WPKH, BitcoinNetwork.REGTEST).toString();

    JsonNode binding = bind(user, bitcoinKey, bitcoinAddress);
    assertThat(binding.path("btcAddress").asString()).isEqualTo(bitcoinAddress);

    EsploraSimulator bitcoin = stack.esploraSimulator().orElseThrow();
    bitcoin.fund(bitcoinAddress, 150_000);
    bitcoin.mine(1);

    await()
        .atMost(VISIBLE_WITHIN)
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> assertThat(gateway("balances", user).path("rbtc").asLong()).isEqualTo(150_000));

    JsonNode mint = firstOfType(gateway("transactions", user), "MINT");
    assertThat(mint.path("user_address").asString()).isEqualTo(user);
    assertThat(mint.path("amount").asString()).isEqualTo("150000");
    assertThat(mint.path("delta").asString()).isEqualTo("150000");
    assertThat(mint.path("bitcoin_address").asString()).isEqualTo(bitcoinAddress);
    assertThat(mint.path("tx_hash").asString()).matches("0x[0-9a-f]{64}");
    assertThat(gateway("bitcoin-addresses", user).path("count").asInt()).isEqualTo(1);

    await()
        .atMost(VISIBLE_WITHIN)
        .untilAsserted(
            () -> {
              HttpResponse<String> participant =
                  get(stack.serviceUrl("yield-service") + "/api/yield/participants/" + user);
              assertThat(participant.statusCode()).isEqualTo(200);
              assertThat(json.readTree(participant.body()).toString()).contains("150000");
            });

    withdrawUnusedFees(user);
    bitcoin.spend(bitcoinAddress, 50_000);
    bitcoin.mine(1);

    await()
        .atMost(VISIBLE_WITHIN)
        .untilAsserted(
            () -> {
              HttpResponse<String> burns =
                  get(
                      stack.serviceUrl("emergency-burn-service")
                          + "/api/emergency-burns?address="
                          + user);
              assertThat(burns.statusCode()).isEqualTo(200);
              assertThat(json.readTree(burns.body()).size()).isEqualTo(1);
              assertThat(burns.body()).contains("150000");
            });
    await()
        .atMost(VISIBLE_WITHIN)
        .untilAsserted(
            () -> {
              assertThat(gateway("balances", user).path("rbtc").asLong()).isZero();
              assertThat(
                      gateway("emergency-burns", user)
                          .path("data")
                          .path("hasEmergencyBurns")
                          .asBoolean())
                  .isTrue();
            });
  }

  @Test
  void malformedAddressesGetAClientErrorFromTheGateway() throws Exception {
    HttpResponse<String> response =
        get(stack.serviceUrl("api-gateway") + "/api/realtime/balances?address=0x1234");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json.readTree(response.body()).path("error").asString()).isNotEmpty();
  }

  /** Binds as {@code user}, Anvil's dev account 1, whose key also signs. */
  private static JsonNode bind(String user, ECKey key, String bitcoinAddress) throws Exception {
    String message =
        "ReserveBTC Wallet Verification\n"
            + "Timestamp: "
            + Instant.now().getEpochSecond()
            + "\n"
            + "MegaETH Address: "
            + user
            + "\n"
            + "I confirm ownership of this Bitcoin address for use with ReserveBTC protocol.";
    String body =
        json.writeValueAsString(
            java.util.Map.of(
                "ethAddress", user,
                "btcAddress", bitcoinAddress,
                "message", message,
                "signature", key.signMessage(message, ScriptType.P2WPKH),
                "ethSignature", PersonalSign.sign(AnvilNode.DEV_ACCOUNT_1_PRIVATE_KEY, message)));
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(stack.serviceUrl("oracle-service") + "/api/bindings"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return json.readTree(response.body());
  }

  private static void withdrawUnusedFees(String user) throws Exception {
    Web3j web3j = Web3j.build(new HttpService(stack.rpcUrl()));
    try {
      Credentials credentials = Credentials.create(AnvilNode.DEV_ACCOUNT_1_PRIVATE_KEY);
      assertThat(credentials.getAddress()).isEqualTo(user);
      RawTransactionManager transactions =
          new RawTransactionManager(
              web3j,
              credentials,
              stack.chainId(),
              new PollingTransactionReceiptProcessor(web3j, 100, 600));
      FeeVault vault =
          FeeVault.load(
              stack.deployment().feeVault(),
              web3j,
              transactions,
              new StaticGasProvider(
                  BigInteger.valueOf(20_000_000_000L), BigInteger.valueOf(300_000)));
      assertThat(vault.balanceOf(user).send()).isPositive();
      assertThat(vault.withdrawUnused().send().isStatusOK()).isTrue();
      assertThat(vault.balanceOf(user).send()).isZero();
    } finally {
      web3j.shutdown();
    }
  }

  private static JsonNode gateway(String endpoint, String user)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        get(stack.serviceUrl("api-gateway") + "/api/realtime/" + endpoint + "?address=" + user);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json.readTree(response.body());
  }

  private static JsonNode firstOfType(JsonNode transactions, String type) {
    List<JsonNode> matching =
        transactions.valueStream().filter(t -> type.equals(t.path("tx_type").asString())).toList();
    assertThat(matching).as("a %s transaction in %s", type, transactions).isNotEmpty();
    return matching.get(0);
  }

  private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
