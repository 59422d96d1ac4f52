package com.reservebtc.gateway.api;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A balance dispute as the YieldScalesPool takes it: {@code disputeBalance(uint256 reportedBalance,
 * uint256 oracleBalance)}, which the pool accepts only from the participant's own address. The
 * gateway cannot send it for the user; it validates the request and hands back the call for the
 * user's wallet to sign and send.
 *
 * @param address the participant, lowercase
 * @param reportedBalance the balance the participant claims, sats
 * @param oracleBalance the balance the oracle reported, sats
 */
record DisputeCall(EthAddress address, BigInteger reportedBalance, BigInteger oracleBalance) {

  /** First four bytes of keccak-256 of {@code disputeBalance(uint256,uint256)}. */
  static final String SELECTOR = "e7bb1404";

  private static final Pattern AMOUNT = Pattern.compile("[0-9]{1,78}");
  private static final BigInteger UINT256_LIMIT = BigInteger.ONE.shiftLeft(256);

  /**
   * Reads {@code {"address": "0x…", "reportedBalance": "…", "oracleBalance": "…"}}; amounts as
   * decimal strings or JSON integers.
   *
   * @throws BadRequestException {@code invalid_dispute} or {@code invalid_address}
   */
  static DisputeCall of(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw invalid(
          "the request body must be a JSON object with address, reportedBalance and"
              + " oracleBalance");
    }
    JsonNode address = body.get("address");
    if (address == null || !address.isString()) {
      throw new BadRequestException(
          "invalid_address", "field 'address' is required: the participant's EVM address");
    }
    DisputeCall call =
        new DisputeCall(
            EthAddress.parseParameter(address.asString()),
            amount(body, "reportedBalance"),
            amount(body, "oracleBalance"));
    if (call.reportedBalance.equals(call.oracleBalance)) {
      throw invalid("reportedBalance equals oracleBalance: there is nothing to dispute");
    }
    return call;
  }

  /** The ABI-encoded call data, 0x-prefixed. */
  String callData() {
    return "0x" + SELECTOR + word(reportedBalance) + word(oracleBalance);
  }

  private static BigInteger amount(JsonNode body, String field) {
    JsonNode node = body.get(field);
    String text =
        node != null && (node.isString() || node.isIntegralNumber()) ? node.asString() : "";
    if (!AMOUNT.matcher(text).matches()) {
      throw invalid(
          "field '" + field + "' is required: a non-negative whole number of sats, in decimal");
    }
    BigInteger value = new BigInteger(text);
    if (value.compareTo(UINT256_LIMIT) >= 0) {
      throw invalid("field '" + field + "' does not fit a uint256");
    }
    return value;
  }

  private static String word(BigInteger value) {
    byte[] bytes = new byte[32];
    byte[] raw = value.toByteArray();
    int length = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - length, bytes, 32 - length, length);
    return HexFormat.of().formatHex(bytes);
  }

  private static BadRequestException invalid(String message) {
    return new BadRequestException("invalid_dispute", message);
  }
}
