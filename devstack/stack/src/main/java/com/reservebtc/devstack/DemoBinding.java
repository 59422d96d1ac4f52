package com.reservebtc.devstack;

import com.reservebtc.contracts.anvil.AnvilNode;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.base.ScriptType;
import org.bitcoinj.crypto.ECKey;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import tools.jackson.databind.ObjectMapper;

/**
 * Local-stack helper for trying the product without a Bitcoin wallet: makes a fresh regtest key,
 * signs the ownership message with it (BIP-137, P2WPKH) and with the EVM address's key (EIP-191, as
 * a wallet's {@code personal_sign} does), and binds the address through the gateway's {@code POST
 * /api/realtime/bitcoin-addresses/verify}, then prints the commands that fund the address and read
 * the result.
 *
 * <p>The EVM key is one of Anvil's publicly known dev keys when the address is a dev account, or
 * read from {@code --eth-key-file} (a file holding the hex private key; never printed). The Bitcoin
 * key is generated, used once and never written anywhere (regtest only).
 */
public final class DemoBinding {

  private static final Pattern EVM_ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
  private static final Map<String, String> ANVIL_DEV_KEYS =
      Map.of(
          AnvilNode.DEV_ACCOUNT_0_ADDRESS, AnvilNode.DEV_ACCOUNT_0_PRIVATE_KEY,
          AnvilNode.DEV_ACCOUNT_1_ADDRESS, AnvilNode.DEV_ACCOUNT_1_PRIVATE_KEY,
          AnvilNode.DEV_ACCOUNT_2_ADDRESS, AnvilNode.DEV_ACCOUNT_2_PRIVATE_KEY);
  private static final String USAGE =
      "usage: devstack/demo-binding <0x EVM address> [--eth-key-file FILE] [--gateway URL]"
          + " [--esplora URL]\n"
          + "  the EVM address signs too: an Anvil dev account (0, 1 or 2) signs with its known"
          + " key, any other address needs --eth-key-file with its hex private key\n"
          + "  defaults: --gateway http://127.0.0.1:8080 --esplora http://127.0.0.1:13002";

  private DemoBinding() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length < 1 || !EVM_ADDRESS.matcher(args[0]).matches() || args.length % 2 == 0) {
      fail(USAGE);
    }
    String ethAddress = args[0].toLowerCase(Locale.ROOT);
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i += 2) {
      if (!args[i].equals("--eth-key-file")
          && !args[i].equals("--gateway")
          && !args[i].equals("--esplora")) {
        fail("unknown option " + args[i] + "\n" + USAGE);
      }
      options.put(args[i], args[i + 1]);
    }
    String gatewayUrl = options.getOrDefault("--gateway", "http://127.0.0.1:8080");
    String esploraUrl = options.getOrDefault("--esplora", "http://127.0.0.1:13002");
    ECKeyPair ethKey = ethKey(ethAddress, options.get("--eth-key-file"));

    ECKey key = new ECKey();
    String btcAddress = key.toAddress(ScriptType.P2WPKH, BitcoinNetwork.REGTEST).toString();
    String message =
        "ReserveBTC Wallet Verification\n"
            + "Timestamp: "
            + Instant.now().getEpochSecond()
            + "\nMegaETH Address: "
            + ethAddress
            + "\nI confirm ownership of this Bitcoin address for use with ReserveBTC protocol.";
    Map<String, String> request = new LinkedHashMap<>();
    request.put("ethAddress", ethAddress);
    request.put("btcAddress", btcAddress);
    request.put("message", message);
    request.put("signature", key.signMessage(message, ScriptType.P2WPKH));
    request.put("ethSignature", personalSign(ethKey, message));
    String body = new ObjectMapper().writeValueAsString(request);

    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(gatewayUrl + "/api/realtime/bitcoin-addresses/verify"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      System.err.println("the binding was refused: " + response.statusCode());
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

  private static ECKeyPair ethKey(String ethAddress, String keyFile) throws IOException {
    String hex;
    if (keyFile != null) {
      hex = Files.readString(Path.of(keyFile), StandardCharsets.UTF_8).strip();
    } else {
      hex = ANVIL_DEV_KEYS.get(ethAddress);
      if (hex == null) {
        fail(
            ethAddress
                + " is not an Anvil dev account: pass --eth-key-file with its hex private key so"
                + " it can sign the ownership message");
      }
    }
    ECKeyPair pair;
    try {
      pair = ECKeyPair.create(new BigInteger(hex.replaceFirst("^0x", ""), 16));
    } catch (NumberFormatException e) {
      fail("the key file does not hold a hex private key");
      return null;
    }
    String derived = "0x" + Keys.getAddress(pair).toLowerCase(Locale.ROOT);
    if (!derived.equals(ethAddress)) {
      fail("the key in the key file belongs to " + derived + ", not to " + ethAddress);
    }
    return pair;
  }

  /** EIP-191 {@code personal_sign}: 0x ‖ r ‖ s ‖ v. */
  private static String personalSign(ECKeyPair key, String message) {
    Sign.SignatureData signature =
        Sign.signPrefixedMessage(message.getBytes(StandardCharsets.UTF_8), key);
    return "0x"
        + HexFormat.of().formatHex(signature.getR())
        + HexFormat.of().formatHex(signature.getS())
        + HexFormat.of().formatHex(signature.getV());
  }

  private static void fail(String message) {
    System.err.println(message);
    System.exit(2);
  }
}
