package com.reservebtc.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.base.ScriptType;
import org.bitcoinj.crypto.ECKey;
import tools.jackson.databind.ObjectMapper;

/**
 * Local-stack helper for trying the product without a Bitcoin wallet: makes a fresh regtest key,
 * signs the ownership message for the given EVM address (BIP-137, P2WPKH) and registers the binding
 * with the oracle, then prints the commands that fund the address and read the result.
 *
 * <p>Regtest only: the key is generated, used once and never written anywhere.
 */
public final class DemoBinding {

  private static final Pattern EVM_ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");

  private DemoBinding() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length < 1 || !EVM_ADDRESS.matcher(args[0]).matches()) {
      System.err.println(
          "usage: devstack/demo-binding <0x EVM address> [oracle URL] [Esplora URL] [gateway URL]"
              + " (defaults: the local stack's default ports)");
      System.exit(2);
    }
    String ethAddress = args[0].toLowerCase(java.util.Locale.ROOT);
    String oracleUrl = args.length > 1 ? args[1] : "http://127.0.0.1:8082";
    String esploraUrl = args.length > 2 ? args[2] : "http://127.0.0.1:13002";
    String gatewayUrl = args.length > 3 ? args[3] : "http://127.0.0.1:8080";

    ECKey key = new ECKey();
    String btcAddress = key.toAddress(ScriptType.P2WPKH, BitcoinNetwork.REGTEST).toString();
    String message =
        "ReserveBTC Wallet Verification\n"
            + "Timestamp: "
            + Instant.now().getEpochSecond()
            + "\nMegaETH Address: "
            + ethAddress
            + "\nI confirm ownership of this Bitcoin address for use with ReserveBTC protocol.";
    String body =
        new ObjectMapper()
            .writeValueAsString(
                Map.of(
                    "ethAddress", ethAddress,
                    "btcAddress", btcAddress,
                    "message", message,
                    "signature", key.signMessage(message, ScriptType.P2WPKH)));

    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(oracleUrl + "/api/bindings"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      System.err.println("the oracle refused the binding: " + response.statusCode());
      System.err.println(response.body());
      System.exit(1);
    }
    System.out.println("bound " + btcAddress + " to " + ethAddress);
    System.out.println(response.body());
    System.out.println();
    System.out.println("fund and confirm it:");
    System.out.println(
        "  curl -s -X POST "
            + esploraUrl
            + "/dev/fund -d '{\"address\":\""
            + btcAddress
            + "\",\"sats\":150000}'");
    System.out.println("  curl -s -X POST " + esploraUrl + "/dev/mine -d '{\"blocks\":1}'");
    System.out.println("then read the balance:");
    System.out.println(
        "  curl -s '" + gatewayUrl + "/api/realtime/balances?address=" + ethAddress + "'");
  }
}
