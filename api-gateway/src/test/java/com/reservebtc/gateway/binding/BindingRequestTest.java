package com.reservebtc.gateway.binding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.reservebtc.gateway.api.BadRequestException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class BindingRequestTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String MESSAGE =
      "ReserveBTC Wallet Verification\\nTimestamp: 1758600000\\nMegaETH Address:"
          + " 0xf45d5feefd7235d9872079d537f5796ba79b1e52\\nI confirm ownership of this Bitcoin"
          + " address for use with ReserveBTC protocol.";

  private static final String ETH_SIGNATURE = "\"0x" + "1b".repeat(65) + "\"";

  private static JsonNode body(String eth, String btc, String message, String signature) {
    return body(eth, btc, message, signature, ETH_SIGNATURE);
  }

  private static JsonNode body(
      String eth, String btc, String message, String signature, String ethSignature) {
    return JSON.readTree(
        "{\"ethAddress\":"
            + eth
            + ",\"btcAddress\":"
            + btc
            + ",\"message\":"
            + message
            + ",\"signature\":"
            + signature
            + ",\"ethSignature\":"
            + ethSignature
            + ",\"extra\":1}");
  }

  private static JsonNode valid() {
    return body(
        "\"0xF45d5feefd7235d9872079d537f5796ba79b1e52\"",
        "\"tb1qtkj7hlhv9drfwe2mupq0yt9m6fsungkjjv5lr7\"",
        "\"" + MESSAGE + "\"",
        "\"H3R0aGlzIGlzIG5vdCBhIHJlYWwgc2lnbmF0dXJlIGJ1dCBiYXNlNjQ=\"");
  }

  @Test
  void acceptsAWellFormedRequestAsReceived() {
    BindingRequest request = BindingRequest.of(valid());
    assertThat(request.ethAddress()).isEqualTo("0xF45d5feefd7235d9872079d537f5796ba79b1e52");
    assertThat(request.btcAddress()).isEqualTo("tb1qtkj7hlhv9drfwe2mupq0yt9m6fsungkjjv5lr7");
    assertThat(request.message()).startsWith("ReserveBTC Wallet Verification\n");
    assertThat(request.ethSignature()).isEqualTo("0x" + "1b".repeat(65));
  }

  @Test
  void rejectsMalformedShapesNamingTheField() {
    String eth = "\"0xf45d5feefd7235d9872079d537f5796ba79b1e52\"";
    String btc = "\"tb1qtkj7hlhv9drfwe2mupq0yt9m6fsungkjjv5lr7\"";
    String msg = "\"" + MESSAGE + "\"";
    String sig = "\"SGVsbG8=\"";
    expectRejected(JSON.readTree("[1,2]"), "JSON object");
    expectRejected(null, "JSON object");
    expectRejected(body("\"0x12\"", btc, msg, sig), "ethAddress");
    expectRejected(body("null", btc, msg, sig), "ethAddress is required");
    expectRejected(body(eth, "12", msg, sig), "btcAddress");
    expectRejected(body(eth, "\"tb1q with spaces and more\"", msg, sig), "btcAddress");
    expectRejected(body(eth, btc, "\"  \"", sig), "message");
    expectRejected(body(eth, btc, "\"" + "x".repeat(1001) + "\"", sig), "message");
    expectRejected(body(eth, btc, msg, "\"not base64!\""), "signature");
    expectRejected(body(eth, btc, msg, "\"\""), "signature");
    expectRejected(body(eth, btc, msg, "42"), "signature must be a JSON string");
    expectRejected(body(eth, btc, msg, sig, "null"), "ethSignature is required");
    expectRejected(body(eth, btc, msg, sig, "\"0x1234\""), "ethSignature");
    expectRejected(
        body(eth, btc, msg, sig, "\"0x" + "1b".repeat(65) + "\\u0000\""), "ethSignature");
  }

  @Test
  void anUnbindRequestNeedsOneOfTheTwoSignatures() {
    String btc = "\"tb1qtkj7hlhv9drfwe2mupq0yt9m6fsungkjjv5lr7\"";
    UnbindRequest byEvm =
        UnbindRequest.of(
            JSON.readTree(
                "{\"btcAddress\":"
                    + btc
                    + ",\"message\":\"m\",\"ethSignature\":"
                    + ETH_SIGNATURE
                    + "}"));
    assertThat(byEvm.signature()).isNull();
    assertThat(byEvm.ethSignature()).isEqualTo("0x" + "1b".repeat(65));
    UnbindRequest byBitcoin =
        UnbindRequest.of(
            JSON.readTree(
                "{\"btcAddress\":" + btc + ",\"message\":\"m\",\"signature\":\"SGVsbG8=\"}"));
    assertThat(byBitcoin.ethSignature()).isNull();
    assertThatThrownBy(
            () -> UnbindRequest.of(JSON.readTree("{\"btcAddress\":" + btc + ",\"message\":\"m\"}")))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("Bitcoin key (signature) or with the EVM address");
    assertThatThrownBy(
            () ->
                UnbindRequest.of(
                    JSON.readTree(
                        "{\"btcAddress\":"
                            + btc
                            + ",\"message\":\"m\",\"ethSignature\":\"0x12\"}")))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("ethSignature");
  }

  private static void expectRejected(JsonNode body, String messagePart) {
    assertThatThrownBy(() -> BindingRequest.of(body))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining(messagePart)
        .extracting(e -> ((BadRequestException) e).code())
        .isEqualTo("invalid_binding_request");
  }
}
