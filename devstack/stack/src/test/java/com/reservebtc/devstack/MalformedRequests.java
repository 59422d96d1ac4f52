package com.reservebtc.devstack;

import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.base.ScriptType;
import org.bitcoinj.crypto.ECKey;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import tools.jackson.databind.ObjectMapper;

/**
 * A deterministic (seeded) corpus of malformed requests against the gateway's read API, event
 * stream and binding endpoint and the oracle's binding, operations and reserves API: bad addresses
 * of many shapes, bad limits and offsets, injection strings, unicode tricks, broken and oversized
 * JSON, wrong content types and methods, bad signatures, stale timestamps, and a few requests only
 * a raw socket can send (broken percent escapes, oversized request lines and headers).
 *
 * <p>Guarantees: every request carries at least one defect that makes it invalid under the
 * documented API, so none of them may succeed; in particular every binding request is rejected on
 * its content even where a parser might tolerate its syntax (a trailing token, a byte-order mark),
 * so a lenient parser shows up as a 2xx instead of binding a real address. The same seed gives the
 * same requests apart from the timestamps in signed messages, which are relative to the time of
 * generation.
 */
final class MalformedRequests {

  /** Which service a request goes to. */
  enum Service {
    GATEWAY,
    ORACLE
  }

  /** How a request is sent. */
  enum Transport {
    /** java.net.http, one keep-alive connection for all requests. */
    HTTP_CLIENT,
    /**
     * A plain socket, one connection per request ({@code Connection: close}): for what an HTTP
     * client refuses to send, and for bodies the server may refuse before reading them, whose
     * unread rest must not be mistaken for the next request on a reused connection.
     */
    SOCKET
  }

  /** What the answer must be. */
  enum Expectation {
    /** A 4xx with a JSON object body: the request reaches the application. */
    JSON_CLIENT_ERROR,
    /**
     * A 4xx in any format, or a connection closed without an answer: the server's HTTP layer may
     * refuse the request (oversized request line or headers, a broken percent escape, characters
     * not allowed in a request target, an encoded slash) before any application code sees it. Never
     * a 2xx or 5xx, never a hang.
     */
    HTTP_LAYER_REFUSAL
  }

  /**
   * One request.
   *
   * @param family what kind of defect it carries (for grouping failures)
   * @param service where it goes
   * @param method the HTTP method
   * @param target path and query as sent on the request line (percent-encoded unless the defect is
   *     the encoding itself)
   * @param headers request headers other than Host, Content-Length and Connection
   * @param body the request body; empty for none
   * @param transport how it is sent
   * @param expectation what the answer must be
   */
  record Request(
      String family,
      Service service,
      String method,
      String target,
      Map<String, String> headers,
      byte[] body,
      Transport transport,
      Expectation expectation) {

    String describe() {
      String text = new String(body, StandardCharsets.UTF_8);
      String shownBody =
          text.length() > 160 ? text.substring(0, 160) + "…(" + body.length + " bytes)" : text;
      String shownTarget = target.length() > 200 ? target.substring(0, 200) + "…" : target;
      return family
          + " "
          + service
          + " "
          + method
          + " "
          + shownTarget
          + (headers.isEmpty() ? "" : " " + headers.keySet())
          + (body.length == 0 ? "" : " body " + shownBody);
    }
  }

  /** Bodies above this may be refused unread (the gateway's forwarding limit is 16 KB). */
  static final int LARGE_BODY = 8_192;

  static final String MESSAGE_TITLE = "ReserveBTC Wallet Verification";
  static final String MESSAGE_CLAIM =
      "I confirm ownership of this Bitcoin address for use with ReserveBTC protocol.";

  private static final List<String> GATEWAY_ADDRESS_ENDPOINTS =
      List.of(
          "balances",
          "transactions",
          "sync-status",
          "bitcoin-addresses",
          "emergency-burns",
          "yield-status",
          "disputes");

  private static final List<String> INJECTIONS =
      List.of(
          "' OR '1'='1",
          "0x' OR 1=1 --",
          "'; DROP TABLE transactions; --",
          "0x0000000000000000000000000000000000000000' UNION SELECT * FROM bitcoin_addresses--",
          "1; DELETE FROM processed_events",
          "<script>alert(1)</script>",
          "\"><img src=x onerror=alert(1)>",
          "javascript:alert(document.cookie)",
          "${jndi:ldap://127.0.0.1:1/a}",
          "{{7*7}}",
          "#{7*7}",
          "../../../../etc/passwd",
          "{\"$gt\":\"\"}",
          "\\u0000",
          "%00");

  private static final List<String> BAD_NUMBERS =
      List.of(
          "-1",
          "0",
          "-0",
          "501",
          "100000",
          "2147483648",
          "-2147483649",
          "99999999999999999999999999",
          "1e3",
          "1.5",
          "NaN",
          "Infinity",
          "abc",
          "10abc",
          "1 0",
          "--1",
          "+-1",
          "0x10",
          "\u0661\u0660", // Arabic-Indic digits 1 0
          "\uff11\uff10", // fullwidth digits 1 0
          "10\u0000",
          "\u0000",
          "10%",
          "1;DROP TABLE transactions",
          "' OR 1=1 --",
          "<script>1</script>");

  private final Random random;
  private final ObjectMapper json = new ObjectMapper();
  private final long now;
  private final List<ECKey> keys = new ArrayList<>();

  MalformedRequests(long seed, long nowEpochSeconds) {
    this.random = new Random(seed);
    this.now = nowEpochSeconds;
    for (int i = 1; i <= 8; i++) {
      // fixed keys, so that the same seed signs the same way
      keys.add(
          ECKey.fromPrivate(BigInteger.valueOf(seed).abs().add(BigInteger.valueOf(i * 7919L))));
    }
  }

  /** {@code count} requests, the families in fixed proportions (see the switch). */
  List<Request> generate(int count) {
    List<Supplier<Request>> families =
        List.of(
            this::gatewayReadWithBadAddress,
            this::gatewayReadWithBadAddress,
            this::gatewayReadWithBadAddress,
            this::gatewayReadWithBadAddress,
            this::gatewayBadPage,
            this::gatewayBadPage,
            this::gatewayStreamWithBadAddress,
            this::gatewayBadBinding,
            this::gatewayBadBinding,
            this::gatewayBadBinding,
            this::gatewayWrongMethodOrPath,
            this::oracleBadBinding,
            this::oracleBadBinding,
            this::oracleBadBinding,
            this::oracleBadBinding,
            this::oracleBadBinding,
            this::oracleBindingsWithBadAddress,
            this::oracleBadOperations,
            this::oracleBadUnbinding,
            this::oracleBadReserves,
            this::rawRequest);
    List<Request> requests = new ArrayList<>(count);
    while (requests.size() < count) {
      requests.add(families.get(random.nextInt(families.size())).get());
    }
    return requests;
  }

  // ---- gateway ----

  private Request gatewayReadWithBadAddress() {
    String endpoint = pick(GATEWAY_ADDRESS_ENDPOINTS);
    return get(
        "gateway-read-bad-address", Service.GATEWAY, "/api/realtime/" + endpoint, addressQuery());
  }

  private Request gatewayBadPage() {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("address", validAddress());
    switch (random.nextInt(3)) {
      case 0 -> query.put("limit", pick(BAD_NUMBERS));
      case 1 -> query.put("offset", pickBadOffset());
      default -> {
        query.put("limit", pick(BAD_NUMBERS));
        query.put("offset", pickBadOffset());
      }
    }
    return new Request(
        "gateway-bad-limit-offset",
        Service.GATEWAY,
        "GET",
        "/api/realtime/transactions" + encode(query),
        headers(),
        new byte[0],
        Transport.HTTP_CLIENT,
        Expectation.JSON_CLIENT_ERROR);
  }

  /** Offsets must be integers of at least 0: the limit's bad values minus the valid offsets. */
  private String pickBadOffset() {
    String value;
    do {
      value = pick(BAD_NUMBERS);
    } while (value.equals("0") || value.equals("-0") || value.matches("[0-9]+") && !tooBig(value));
    return value;
  }

  private static boolean tooBig(String digits) {
    return new BigInteger(digits).compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) > 0;
  }

  private Request gatewayStreamWithBadAddress() {
    Request request =
        get("gateway-stream-bad-address", Service.GATEWAY, "/api/realtime/stream", addressQuery());
    Map<String, String> headers = new LinkedHashMap<>(request.headers());
    headers.put("Accept", "text/event-stream");
    return new Request(
        request.family(),
        request.service(),
        "GET",
        request.target(),
        headers,
        new byte[0],
        Transport.HTTP_CLIENT,
        Expectation.JSON_CLIENT_ERROR);
  }

  private Request gatewayBadBinding() {
    return binding(
        "gateway-bad-binding", Service.GATEWAY, "/api/realtime/bitcoin-addresses/verify");
  }

  private Request gatewayWrongMethodOrPath() {
    String address = validAddress();
    return switch (random.nextInt(6)) {
      case 0 ->
          new Request(
              "gateway-wrong-method",
              Service.GATEWAY,
              pick(List.of("POST", "PUT", "DELETE", "PATCH")),
              "/api/realtime/" + pick(GATEWAY_ADDRESS_ENDPOINTS) + "?address=" + address,
              headers("Content-Type", "application/json"),
              "{}".getBytes(StandardCharsets.UTF_8),
              Transport.HTTP_CLIENT,
              Expectation.JSON_CLIENT_ERROR);
      case 1 ->
          new Request(
              "gateway-bad-dispute",
              Service.GATEWAY,
              "POST",
              "/api/realtime/disputes",
              headers("Content-Type", "application/json"),
              ("{\"address\":\"" + address + "\",\"reportedBalance\":1}")
                  .getBytes(StandardCharsets.UTF_8),
              Transport.HTTP_CLIENT,
              Expectation.JSON_CLIENT_ERROR);
      case 2 ->
          new Request(
              "gateway-wrong-method",
              Service.GATEWAY,
              pick(List.of("GET", "PUT", "DELETE")),
              "/api/realtime/bitcoin-addresses/verify",
              headers(),
              new byte[0],
              Transport.HTTP_CLIENT,
              Expectation.JSON_CLIENT_ERROR);
      case 3 ->
          get(
              "gateway-unknown-path",
              Service.GATEWAY,
              pick(
                  List.of(
                      "/api/realtime/balance",
                      "/api/realtime/Balances",
                      "/api/realtime/balances/" + address,
                      "/api/realtime/%2e%2e/balances",
                      "/api/realtime/balances%00",
                      "/api/realtime/"
                          + URLEncoder.encode(pick(INJECTIONS), StandardCharsets.UTF_8),
                      "/api/realtime",
                      "/api/v2/realtime/balances",
                      "/api/realtime/balances;jsessionid=1")),
              Map.of("address", address));
      case 4 ->
          // A valid address in a second, malformed parameter: the two are joined and rejected.
          new Request(
              "gateway-read-bad-address",
              Service.GATEWAY,
              "GET",
              "/api/realtime/"
                  + pick(GATEWAY_ADDRESS_ENDPOINTS)
                  + "?address="
                  + address
                  + "&address="
                  + URLEncoder.encode(badAddress(), StandardCharsets.UTF_8),
              headers(),
              new byte[0],
              Transport.HTTP_CLIENT,
              Expectation.JSON_CLIENT_ERROR);
      default ->
          new Request(
              "gateway-read-bad-address",
              Service.GATEWAY,
              "GET",
              "/api/realtime/"
                  + pick(GATEWAY_ADDRESS_ENDPOINTS)
                  + addressQuery().entrySet().stream()
                      .findFirst()
                      .map(e -> "?" + e.getKey() + "=" + enc(e.getValue()))
                      .orElse(""),
              headers("Accept", pick(List.of("application/xml", "text/html", "*/*", "bogus"))),
              new byte[0],
              Transport.HTTP_CLIENT,
              Expectation.JSON_CLIENT_ERROR);
    };
  }

  // ---- oracle ----

  private Request oracleBadBinding() {
    return binding("oracle-bad-binding", Service.ORACLE, "/api/bindings");
  }

  private Request oracleBindingsWithBadAddress() {
    return get("oracle-bindings-bad-address", Service.ORACLE, "/api/bindings", addressQuery());
  }

  private Request oracleBadOperations() {
    Map<String, String> query = new LinkedHashMap<>();
    if (random.nextBoolean()) {
      query.putAll(addressQuery());
      if (random.nextBoolean()) {
        query.put("limit", "10");
      }
    } else {
      query.put("address", validAddress());
      String limit;
      do {
        limit = pick(BAD_NUMBERS);
      } while (limit.equals("\u0000"));
      query.put("limit", limit);
    }
    return new Request(
        "oracle-bad-operations",
        Service.ORACLE,
        "GET",
        "/api/operations" + encode(query),
        headers(),
        new byte[0],
        Transport.HTTP_CLIENT,
        Expectation.JSON_CLIENT_ERROR);
  }

  private Request oracleBadUnbinding() {
    String btc =
        random.nextBoolean()
            ? regtestAddress(pick(keys))
            : pick(List.of("xyz", "bc1qbad", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT", "%20", "a%2Fb"));
    boolean encodedSlash = btc.contains("%2F");
    String body;
    String contentType = "application/json";
    switch (random.nextInt(5)) {
      case 0 -> body = "{";
      case 1 -> body = "{\"message\":\"hello\",\"signature\":\"!!!\"}";
      case 2 -> {
        String message =
            "ReserveBTC Unbind Request\nTimestamp: "
                + (now - 7200 - random.nextInt(100_000))
                + "\nMegaETH Address: "
                + validAddress()
                + "\nBitcoin Address: "
                + btc
                + "\nI confirm removal of this Bitcoin address from use with ReserveBTC protocol.";
        body = jsonOf(Map.of("message", message, "signature", pick(keys).signMessage(message)));
      }
      case 3 -> {
        body = "{\"message\":\"x\",\"signature\":\"AAAA\"}";
        contentType = pick(List.of("text/plain", "application/xml"));
      }
      default -> body = "[]";
    }
    return new Request(
        encodedSlash ? "http-layer-encoded-slash" : "oracle-bad-unbinding",
        Service.ORACLE,
        "DELETE",
        "/api/bindings/" + (btc.contains("%") ? btc : enc(btc)),
        headers("Content-Type", contentType),
        body.getBytes(StandardCharsets.UTF_8),
        Transport.HTTP_CLIENT,
        encodedSlash ? Expectation.HTTP_LAYER_REFUSAL : Expectation.JSON_CLIENT_ERROR);
  }

  private Request oracleBadReserves() {
    String badId =
        pick(
            List.of(
                "abc",
                "-1",
                "1.5",
                "99999999999999999999999",
                "NaN",
                "%27%20OR%201%3D1",
                "%3Cscript%3E",
                "%EF%BC%91"));
    String target =
        switch (random.nextInt(3)) {
          case 0 -> "/api/reserves/" + badId;
          case 1 -> "/api/reserves/" + badId + "/export.jsonl";
          default -> "/api/reserves/proof" + encode(addressQuery());
        };
    return new Request(
        "oracle-bad-reserves",
        Service.ORACLE,
        "GET",
        target,
        headers(),
        new byte[0],
        Transport.HTTP_CLIENT,
        Expectation.JSON_CLIENT_ERROR);
  }

  // ---- binding bodies ----

  /**
   * A binding request with one content defect (never a valid binding), sometimes wrapped in a
   * syntax or transport defect on top.
   */
  private Request binding(String family, Service service, String path) {
    ECKey key = pick(keys);
    ECKeyPair ethKey = ethKey();
    String eth = "0x" + Keys.getAddress(ethKey);
    String btc = regtestAddress(key);
    long timestamp = now;
    String message;
    String signature;
    String defect;
    // The EVM signature is valid unless the defect is about it.
    Boolean ethSigned = true;
    switch (random.nextInt(15)) {
      case 0 -> {
        defect = "stale timestamp";
        timestamp = now - 3_700 - random.nextInt(1_000_000);
        message = message(timestamp, eth);
        signature = key.signMessage(message, ScriptType.P2WPKH);
      }
      case 1 -> {
        defect = "future timestamp";
        timestamp = now + 600 + random.nextInt(1_000_000);
        message = message(timestamp, eth);
        signature = key.signMessage(message, ScriptType.P2WPKH);
      }
      case 2 -> {
        defect = "message tampered";
        message = tamper(message(timestamp, eth));
        signature = key.signMessage(message, ScriptType.P2WPKH);
      }
      case 3 -> {
        defect = "message names another EVM address";
        message = message(timestamp, validAddress());
        signature = key.signMessage(message, ScriptType.P2WPKH);
      }
      case 4 -> {
        defect = "signed by another key";
        message = message(timestamp, eth);
        ECKey other = keys.get((keys.indexOf(key) + 1) % keys.size());
        signature = other.signMessage(message, ScriptType.P2WPKH);
      }
      case 5 -> {
        defect = "signature over another message";
        message = message(timestamp, eth);
        signature = key.signMessage(message(timestamp - 1, eth), ScriptType.P2WPKH);
      }
      case 6 -> {
        defect = "bad base64 signature";
        message = message(timestamp, eth);
        signature = badSignature();
      }
      case 7 -> {
        defect = "bad Bitcoin address";
        message = message(timestamp, eth);
        signature = key.signMessage(message, ScriptType.P2WPKH);
        btc = badBitcoinAddress(key);
      }
      case 8 -> {
        defect = "bad EVM address";
        message = message(timestamp, eth);
        signature = key.signMessage(message, ScriptType.P2WPKH);
        eth = badAddress();
      }
      case 9 -> {
        defect = "non-numeric timestamp";
        message =
            MESSAGE_TITLE
                + "\nTimestamp: "
                + pick(List.of("abc", "1e9", "-1", "\uff11\uff12\uff13", now + ".0", "", "0x10"))
                + "\nMegaETH Address: "
                + eth
                + "\n"
                + MESSAGE_CLAIM;
        signature = key.signMessage(message, ScriptType.P2WPKH);
      }
      case 10 -> {
        defect = "empty message";
        message = pick(List.of("", " ", "\n\n\n"));
        signature = key.signMessage(message(timestamp, eth), ScriptType.P2WPKH);
      }
      case 12 -> {
        defect = "no EVM signature";
        message = message(timestamp, eth);
        signature = key.signMessage(message, ScriptType.P2WPKH);
        ethSigned = null;
      }
      case 13 -> {
        defect = "EVM signature by another address";
        message = message(timestamp, eth);
        signature = key.signMessage(message, ScriptType.P2WPKH);
        ethSigned = false;
      }
      case 14 -> {
        defect = "Bitcoin address of another network";
        message = message(timestamp, eth);
        signature = key.signMessage(message, ScriptType.P2WPKH);
        btc =
            key.toAddress(
                    ScriptType.P2WPKH,
                    pick(
                        List.of(
                            BitcoinNetwork.MAINNET, BitcoinNetwork.TESTNET, BitcoinNetwork.SIGNET)))
                .toString();
      }
      default -> {
        defect = "timestamp just outside the hour";
        timestamp = now - 3_610;
        message = message(timestamp, eth);
        signature = key.signMessage(message, ScriptType.P2WPKH);
      }
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("ethAddress", eth);
    fields.put("btcAddress", btc);
    fields.put("message", message);
    fields.put("signature", signature);
    if (ethSigned != null) {
      fields.put("ethSignature", PersonalSign.sign(ethSigned ? ethKey : ethKey(), message));
    }
    String contentType = "application/json";
    byte[] body;
    switch (random.nextInt(10)) {
      case 0 -> {
        // wrong JSON types or missing fields
        String field = pick(List.of("ethAddress", "btcAddress", "message", "signature"));
        switch (random.nextInt(4)) {
          case 0 -> fields.remove(field);
          case 1 -> fields.put(field, null);
          case 2 -> fields.put(field, 12345);
          default -> fields.put(field, List.of(fields.get(field) == null ? "" : fields.get(field)));
        }
        body = bytes(jsonOf(fields));
      }
      case 1 -> body = bytes(brokenJson(jsonOf(fields)));
      case 2 -> {
        // oversized: above the gateway's 16 KB limit; the oracle reads and rejects it
        fields.put("padding", "x".repeat(17_000 + random.nextInt(500_000)));
        body = bytes(jsonOf(fields));
      }
      case 3 -> {
        contentType =
            pick(
                List.of(
                    "text/plain",
                    "application/xml",
                    "application/x-www-form-urlencoded",
                    "multipart/form-data; boundary=x",
                    "application/jsonx",
                    "application/octet-stream",
                    "text/html",
                    ""));
        body = bytes(jsonOf(fields));
      }
      case 4 -> {
        // deep nesting and huge numbers stress the parser's limits
        body =
            bytes(
                random.nextBoolean()
                    ? "{\"ethAddress\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}"
                    : "{\"ethAddress\":1" + "0".repeat(20_000) + "}");
      }
      case 5 -> body = bytes(jsonOf(List.of(fields)));
      default -> body = bytes(jsonOf(fields));
    }
    Map<String, String> headers =
        contentType.isEmpty() ? headers() : headers("Content-Type", contentType);
    return new Request(
        family + " (" + defect + ")",
        service,
        "POST",
        path,
        headers,
        body,
        body.length > LARGE_BODY ? Transport.SOCKET : Transport.HTTP_CLIENT,
        Expectation.JSON_CLIENT_ERROR);
  }

  private String message(long timestamp, String eth) {
    return MESSAGE_TITLE
        + "\nTimestamp: "
        + timestamp
        + "\nMegaETH Address: "
        + eth
        + "\n"
        + MESSAGE_CLAIM;
  }

  /** The ownership message with one change a careless comparison might miss. */
  private String tamper(String message) {
    return switch (random.nextInt(8)) {
      case 0 -> message.replace("\n", "\r\n");
      case 1 -> message + "\n";
      case 2 -> message.replace("ReserveBTC Wallet", "Reserve\u0412TC Wallet"); // Cyrillic Ve
      case 3 -> message.replace("Verification", "Verifi\u200bcation"); // zero-width space
      case 4 -> message.replace("MegaETH Address", "MegaETH  Address");
      case 5 -> message.replace("I confirm", "I do not confirm");
      case 6 -> "\ufeff" + message;
      default -> message.replace("\nI confirm", "\nExtra line\nI confirm");
    };
  }

  private String badSignature() {
    return switch (random.nextInt(10)) {
      case 0 -> "!!!";
      case 1 -> "abc";
      case 2 -> "====";
      case 3 -> "";
      case 4 -> "A".repeat(2_001 + random.nextInt(3_000));
      case 5 -> Base64.getUrlEncoder().encodeToString(randomBytes(65)).replace('=', '-') + "_-";
      case 6 -> Base64.getEncoder().encodeToString(randomBytes(65));
      case 7 -> Base64.getEncoder().encodeToString(randomBytes(1 + random.nextInt(40)));
      case 8 -> "SGVsbG8g V29ybGQ=";
      default -> "\u0661\u0662\u0663=";
    };
  }

  private String badBitcoinAddress(ECKey key) {
    String regtest = regtestAddress(key);
    return switch (random.nextInt(9)) {
      case 0 -> key.toAddress(ScriptType.P2WPKH, BitcoinNetwork.MAINNET).toString();
      case 1 -> key.toAddress(ScriptType.P2WPKH, BitcoinNetwork.TESTNET).toString();
      case 2 -> regtest.substring(0, 6) + regtest.substring(6).toUpperCase(java.util.Locale.ROOT);
      case 3 -> regtest.substring(0, regtest.length() - 1) + (regtest.endsWith("q") ? "p" : "q");
      case 4 -> regtest.substring(0, 10);
      case 5 -> regtest + "x".repeat(100);
      case 6 -> regtest.replaceFirst("q", "\u051b"); // Cyrillic qa
      case 7 -> pick(INJECTIONS);
      default -> "";
    };
  }

  private String brokenJson(String valid) {
    return switch (random.nextInt(9)) {
      case 0 -> valid.substring(0, valid.length() / 2);
      case 1 -> valid.replace('"', '\'');
      case 2 -> valid + "}";
      case 3 -> valid + " trailing";
      case 4 -> "\ufeff" + valid;
      case 5 -> valid.replaceFirst(":", ":/* comment */");
      case 6 -> valid.replaceFirst("\\{", "{\"ethAddress\":NaN,");
      case 7 -> "";
      default -> "null";
    };
  }

  // ---- addresses ----

  private Map<String, String> addressQuery() {
    Map<String, String> query = new LinkedHashMap<>();
    if (random.nextInt(20) != 0) {
      query.put("address", badAddress());
    }
    return query;
  }

  /** An EVM address of the wrong shape, never one the services would accept. */
  String badAddress() {
    String valid = validAddress();
    String hex40 = valid.substring(2);
    return switch (random.nextInt(22)) {
      case 0 -> "";
      case 1 -> "0x";
      case 2 -> "0x" + hex(random.nextInt(39) + 1);
      case 3 -> "0x" + hex(41 + random.nextInt(60));
      case 4 -> hex40;
      case 5 -> "0X" + hex40;
      case 6 -> "0x" + hex40.substring(1) + pick(List.of("g", "z", "G", "-", " ", ".", "_"));
      case 7 -> valid + pick(List.of("\u0000", "\u0001", "\u200b", "%", "'", "\u202e", "\ufeff"));
      case 8 -> pick(List.of("\u200b", "\ufeff", "\u00a0", "\u2028")) + valid;
      case 9 -> replaceOne(valid, 'a', "\u0430"); // Cyrillic a
      case 10 -> "\uff10\uff58" + hex40; // fullwidth 0x
      case 11 -> "0\u0445" + hex40; // Cyrillic x
      case 12 -> "0x" + hex40.substring(0, 20) + "\u0000" + hex40.substring(21);
      case 13 -> "0x" + hex40.substring(0, 20) + "\n" + hex40.substring(21);
      case 14 -> "0x" + hex40.substring(0, 20) + "\u202e" + hex40.substring(21);
      case 15 -> "0x\ud83d\udca9" + hex40.substring(2);
      case 16 -> "0x" + "a".repeat(500 + random.nextInt(1_500));
      case 17 -> pick(INJECTIONS);
      case 18 -> pick(List.of("12345", "-1", "1e308", "null", "undefined", "true", "[]", "{}"));
      case 19 -> "0x" + hex40.substring(0, 39) + "\u0301"; // combining acute accent
      case 20 -> valid + "," + validAddress();
      default -> "0x\u0660" + hex40.substring(1); // Arabic-Indic zero
    };
  }

  private String replaceOne(String valid, char from, String to) {
    int at = valid.indexOf(from, 2);
    return at < 0
        ? "0x" + to + valid.substring(3)
        : valid.substring(0, at) + to + valid.substring(at + 1);
  }

  private ECKeyPair ethKey() {
    return ECKeyPair.create(new java.math.BigInteger(1, randomBytes(32)).setBit(255));
  }

  String validAddress() {
    return "0x" + hex(40);
  }

  private static String regtestAddress(ECKey key) {
    return key.toAddress(ScriptType.P2WPKH, BitcoinNetwork.REGTEST).toString();
  }

  // ---- raw requests ----

  private Request rawRequest() {
    Service service = random.nextBoolean() ? Service.GATEWAY : Service.ORACLE;
    String path = service == Service.GATEWAY ? "/api/realtime/balances" : "/api/bindings";
    String target;
    Map<String, String> headers = new LinkedHashMap<>();
    String family;
    switch (random.nextInt(4)) {
      case 0 -> {
        family = "raw-bad-percent-escape";
        target = path + "?address=" + pick(List.of("%zz", "%", "%G0", "%%", "0x%u0030", "%FF%FE"));
      }
      case 1 -> {
        family = "raw-oversized-request-line";
        target = path + "?address=0x" + "a".repeat(10_000 + random.nextInt(20_000));
      }
      case 2 -> {
        family = "raw-oversized-header";
        target = path + "?address=" + validAddress();
        headers.put("X-Padding", "p".repeat(20_000 + random.nextInt(20_000)));
      }
      default -> {
        family = "raw-invalid-uri-characters";
        target = path + "?address=" + pick(List.of("0x\"<>", "0x{}|", "0x`^"));
      }
    }
    return new Request(
        family,
        service,
        "GET",
        target,
        headers,
        new byte[0],
        Transport.SOCKET,
        Expectation.HTTP_LAYER_REFUSAL);
  }

  // ---- helpers ----

  private Request get(String family, Service service, String path, Map<String, String> query) {
    return new Request(
        family,
        service,
        "GET",
        path + encode(query),
        headers(),
        new byte[0],
        Transport.HTTP_CLIENT,
        Expectation.JSON_CLIENT_ERROR);
  }

  private static String encode(Map<String, String> query) {
    if (query.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder("?");
    query.forEach(
        (k, v) -> {
          if (out.length() > 1) {
            out.append('&');
          }
          out.append(enc(k)).append('=').append(enc(v));
        });
    return out.toString();
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static Map<String, String> headers(String... pairs) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      headers.put(pairs[i], pairs[i + 1]);
    }
    return headers;
  }

  private String jsonOf(Object value) {
    return json.writeValueAsString(value);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  private String hex(int digits) {
    byte[] bytes = randomBytes((digits + 1) / 2);
    return HexFormat.of().formatHex(bytes).substring(0, digits);
  }

  private byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    random.nextBytes(bytes);
    return bytes;
  }
}
