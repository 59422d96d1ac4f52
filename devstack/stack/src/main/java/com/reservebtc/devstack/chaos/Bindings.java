package com.reservebtc.devstack.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bitcoinj.base.ScriptType;
import org.web3j.crypto.Sign;
import tools.jackson.databind.ObjectMapper;

/**
 * Binds each user's Bitcoin address to their EVM address through the gateway, as {@code
 * devstack/demo-binding} does: the ownership message signed by the Bitcoin key (BIP-137, P2WPKH)
 * and by the EVM key (EIP-191 {@code personal_sign}).
 */
final class Bindings {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String gatewayUrl;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  Bindings(String gatewayUrl) {
    this.gatewayUrl = gatewayUrl;
  }

  void bind(ChaosUser user) throws IOException, InterruptedException {
    String message =
        "ReserveBTC Wallet Verification\n"
            + "Timestamp: "
            + Instant.now().getEpochSecond()
            + "\nMegaETH Address: "
            + user.address()
            + "\nI confirm ownership of this Bitcoin address for use with ReserveBTC protocol.";
    Map<String, String> request = new LinkedHashMap<>();
    request.put("ethAddress", user.address());
    request.put("btcAddress", user.bitcoinAddress());
    request.put("message", message);
    request.put("signature", user.bitcoinKey().signMessage(message, ScriptType.P2WPKH));
    Sign.SignatureData eth =
        Sign.signPrefixedMessage(
            message.getBytes(StandardCharsets.UTF_8), user.wallet().getEcKeyPair());
    request.put(
        "ethSignature",
        "0x"
            + HexFormat.of().formatHex(eth.getR())
            + HexFormat.of().formatHex(eth.getS())
            + HexFormat.of().formatHex(eth.getV()));
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(gatewayUrl + "/api/realtime/bitcoin-addresses/verify"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new ChaosException(
          "binding " + user + " was refused: " + response.statusCode() + " " + response.body());
    }
  }
}
