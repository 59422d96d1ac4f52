package com.reservebtc.gateway.binding;

import com.reservebtc.gateway.api.BadRequestException;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The body of a Bitcoin address verification, checked for shape only: the oracle-service owns the
 * verification (signature, message text, timestamp window, address network) and answers for it. The
 * gateway rejects what cannot possibly be valid, so malformed requests never reach the oracle.
 *
 * @param ethAddress the EVM address to bind to, 0x + 40 hex digits
 * @param btcAddress the Bitcoin address whose ownership is proven
 * @param message the signed ownership message, exactly as signed (LF line breaks)
 * @param signature the Bitcoin key's BIP-322 simple or BIP-137 signature over {@code message},
 *     base64
 * @param ethSignature the EVM address's EIP-191 {@code personal_sign} signature over the same
 *     {@code message}, 0x + 130 hex digits: the EVM address consents to the binding
 */
@Schema(description = "A proof of Bitcoin address ownership signed by both keys")
record BindingRequest(
    @Schema(
            description = "EVM address to bind to",
            example = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8")
        String ethAddress,
    @Schema(description = "Bitcoin address whose ownership is proven") String btcAddress,
    @Schema(
            description =
                "The ownership message, exactly as signed by both keys (LF line breaks):"
                    + " \"ReserveBTC Wallet Verification\\nTimestamp: <unix seconds>\\nMegaETH"
                    + " Address: <0x…>\\nI confirm ownership of this Bitcoin address for use with"
                    + " ReserveBTC protocol.\"")
        String message,
    @Schema(description = "Bitcoin key's signature over message: BIP-322 simple or BIP-137, base64")
        String signature,
    @Schema(
            description =
                "EVM address's EIP-191 personal_sign signature over the same message: 0x + r, s, v"
                    + " (130 hex digits)")
        String ethSignature) {

  static final int MAX_MESSAGE_CHARS = 1_000;
  static final int MAX_SIGNATURE_CHARS = 2_000;

  private static final Pattern ETH = Pattern.compile("0x[0-9a-fA-F]{40}");
  // base58 (legacy, P2SH) and bech32/bech32m (segwit) character sets, lengths of real addresses
  static final Pattern BTC = Pattern.compile("[a-zA-Z0-9]{14,90}");
  static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]+={0,2}");
  static final Pattern ETH_SIGNATURE = Pattern.compile("0x[0-9a-fA-F]{130}");

  /**
   * @throws BadRequestException {@code invalid_binding_request} naming the offending field
   */
  static BindingRequest of(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw invalid(
          "the body must be a JSON object with string fields ethAddress, btcAddress, message and"
              + " signature");
    }
    String eth = text(body, "ethAddress");
    if (!ETH.matcher(eth).matches()) {
      throw invalid("ethAddress must be an EVM address: 0x followed by 40 hex digits");
    }
    String btc = text(body, "btcAddress");
    if (!BTC.matcher(btc).matches()) {
      throw invalid("btcAddress is not a Bitcoin address (14 to 90 letters and digits)");
    }
    String message = text(body, "message");
    if (message.isBlank() || message.length() > MAX_MESSAGE_CHARS) {
      throw invalid(
          "message must be the signed ownership message, 1 to " + MAX_MESSAGE_CHARS + " chars");
    }
    String signature = text(body, "signature");
    if (signature.length() > MAX_SIGNATURE_CHARS || !BASE64.matcher(signature).matches()) {
      throw invalid(
          "signature must be base64 (BIP-322 simple or BIP-137), at most "
              + MAX_SIGNATURE_CHARS
              + " chars");
    }
    String ethSignature = text(body, "ethSignature");
    if (!ETH_SIGNATURE.matcher(ethSignature).matches()) {
      throw invalid(
          "ethSignature must be the EVM address's EIP-191 signature of message: 0x followed by"
              + " 130 hex digits");
    }
    return new BindingRequest(eth, btc, message, signature, ethSignature);
  }

  static String text(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      throw invalid(field + " is required");
    }
    if (!value.isString()) {
      throw invalid(field + " must be a JSON string");
    }
    return value.asString();
  }

  static BadRequestException invalid(String message) {
    return new BadRequestException("invalid_binding_request", message);
  }
}
