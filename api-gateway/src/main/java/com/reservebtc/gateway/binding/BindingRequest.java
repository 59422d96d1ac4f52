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
 * @param signature the BIP-322 simple or BIP-137 signature, base64
 */
@Schema(description = "A signed proof of Bitcoin address ownership")
record BindingRequest(String ethAddress, String btcAddress, String message, String signature) {

  static final int MAX_MESSAGE_CHARS = 1_000;
  static final int MAX_SIGNATURE_CHARS = 2_000;

  private static final Pattern ETH = Pattern.compile("0x[0-9a-fA-F]{40}");
  // base58 (legacy, P2SH) and bech32/bech32m (segwit) character sets, lengths of real addresses
  private static final Pattern BTC = Pattern.compile("[a-zA-Z0-9]{14,90}");
  private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]+={0,2}");

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
    return new BindingRequest(eth, btc, message, signature);
  }

  private static String text(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      throw invalid(field + " is required");
    }
    if (!value.isString()) {
      throw invalid(field + " must be a JSON string");
    }
    return value.asString();
  }

  private static BadRequestException invalid(String message) {
    return new BadRequestException("invalid_binding_request", message);
  }
}
