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

  private static JsonNode body(String eth, String btc, String message, String signature) {
    return JSON.readTree(
        "{\"ethAddress\":"
            + eth
            + ",\"btcAddress\":"
            + btc
            + ",\"message\":"
            + message
            + ",\"signature\":"
            + signature
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
  }

  private static void expectRejected(JsonNode body, String messagePart) {
    assertThatThrownBy(() -> BindingRequest.of(body))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining(messagePart)
        .extracting(e -> ((BadRequestException) e).code())
        .isEqualTo("invalid_binding_request");
  }
}
