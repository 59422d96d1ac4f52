package com.reservebtc.gateway.binding;

import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.JsonNode;

/**
 * The body of a request to remove a binding, checked for shape only (the oracle-service verifies
 * the message and the signatures). Either key may unbind: the Bitcoin key ({@code signature}) or
 * the EVM address the Bitcoin address is bound to ({@code ethSignature}); at least one is required.
 *
 * @param btcAddress the bound Bitcoin address to remove
 * @param message the unbind request text, exactly as signed
 * @param signature the Bitcoin key's BIP-322 simple or BIP-137 signature of {@code message}, or
 *     null
 * @param ethSignature the EVM address's EIP-191 signature of {@code message}, or null
 */
@Schema(description = "A request to remove a binding, signed by either key")
record UnbindRequest(
    @Schema(description = "The bound Bitcoin address to remove") String btcAddress,
    @Schema(
            description =
                "The unbind request, exactly as signed (LF line breaks): \"ReserveBTC Unbind"
                    + " Request\\nTimestamp: <unix seconds>\\nMegaETH Address: <0x…>\\nBitcoin"
                    + " Address: <address>\\nI confirm removal of this Bitcoin address from use"
                    + " with ReserveBTC protocol.\"")
        String message,
    @Schema(description = "Bitcoin key's signature over message (base64), if it signs")
        String signature,
    @Schema(description = "EVM address's EIP-191 signature over message (0x hex), if it signs")
        String ethSignature) {

  /**
   * @throws com.reservebtc.gateway.api.BadRequestException {@code invalid_binding_request} naming
   *     the offending field
   */
  static UnbindRequest of(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw BindingRequest.invalid(
          "the body must be a JSON object with string fields btcAddress, message and signature"
              + " and/or ethSignature");
    }
    String btc = BindingRequest.text(body, "btcAddress");
    if (!BindingRequest.BTC.matcher(btc).matches()) {
      throw BindingRequest.invalid(
          "btcAddress is not a Bitcoin address (14 to 90 letters and digits)");
    }
    String message = BindingRequest.text(body, "message");
    if (message.isBlank() || message.length() > BindingRequest.MAX_MESSAGE_CHARS) {
      throw BindingRequest.invalid(
          "message must be the signed unbind request, 1 to "
              + BindingRequest.MAX_MESSAGE_CHARS
              + " chars");
    }
    String signature = optional(body, "signature");
    String ethSignature = optional(body, "ethSignature");
    if (signature == null && ethSignature == null) {
      throw BindingRequest.invalid(
          "sign the unbind request with the Bitcoin key (signature) or with the EVM address it is"
              + " bound to (ethSignature)");
    }
    if (signature != null
        && (signature.length() > BindingRequest.MAX_SIGNATURE_CHARS
            || !BindingRequest.BASE64.matcher(signature).matches())) {
      throw BindingRequest.invalid("signature must be base64 (BIP-322 simple or BIP-137)");
    }
    if (ethSignature != null && !BindingRequest.ETH_SIGNATURE.matcher(ethSignature).matches()) {
      throw BindingRequest.invalid("ethSignature must be 0x followed by 130 hex digits (EIP-191)");
    }
    return new UnbindRequest(btc, message, signature, ethSignature);
  }

  private static String optional(JsonNode body, String field) {
    JsonNode value = body.get(field);
    return value == null || value.isNull() ? null : BindingRequest.text(body, field);
  }
}
