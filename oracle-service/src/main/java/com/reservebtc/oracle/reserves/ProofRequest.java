package com.reservebtc.oracle.reserves;

import com.reservebtc.oracle.ownership.EthSignatureVerifier;
import com.reservebtc.oracle.ownership.OwnershipRejectedException;
import com.reservebtc.oracle.web.ApiException;
import java.time.Duration;
import java.time.Instant;
import org.springframework.http.HttpStatus;

/**
 * A user's signed request for their own leaf and salt. The text, with LF line breaks and no
 * trailing line break, signed by the EVM address with EIP-191 {@code personal_sign}:
 *
 * <pre>
 * ReserveBTC Proof of Reserves Request
 * Timestamp: &lt;unix seconds&gt;
 * MegaETH Address: &lt;the 0x address, lower case&gt;
 * </pre>
 *
 * <p>Guarantees: {@link #authorize} passes only when the signature recovers to exactly that address
 * and the timestamp is within [now − max age, now + 60 s], so a salt is given only to the key that
 * owns the leaf, and a captured request is useless after a few minutes.
 */
public final class ProofRequest {

  private static final Duration FUTURE = Duration.ofSeconds(60);

  private ProofRequest() {}

  /** The text the user signs for a proof request at {@code timestamp}. */
  public static String message(long timestamp, String ethAddress) {
    return com.reservebtc.reserves.verifier.Verifier.proofRequest(timestamp, ethAddress);
  }

  /**
   * @throws ApiException 401 {@code signature_required}, {@code timestamp_out_of_window} or {@code
   *     invalid_eth_signature}; 400 {@code malformed_eth_signature} or {@code invalid_parameter}
   */
  static void authorize(
      String ethAddress, String timestamp, String signature, Instant now, Duration maxAge) {
    if (timestamp == null || timestamp.isEmpty() || signature == null || signature.isEmpty()) {
      throw new ApiException(
          HttpStatus.UNAUTHORIZED,
          "signature_required",
          "a proof carries the user's salt: sign '"
              + message(now.getEpochSecond(), ethAddress).replace("\n", "\\n")
              + "' with "
              + ethAddress
              + " (EIP-191 personal_sign) and send timestamp and signature");
    }
    if (!timestamp.matches("[0-9]{1,12}")) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST, "invalid_parameter", "timestamp must be unix seconds");
    }
    Instant signedAt = Instant.ofEpochSecond(Long.parseLong(timestamp));
    if (signedAt.isBefore(now.minus(maxAge)) || signedAt.isAfter(now.plus(FUTURE))) {
      throw new ApiException(
          HttpStatus.UNAUTHORIZED,
          "timestamp_out_of_window",
          "the request must be signed within the last "
              + maxAge.toSeconds()
              + " s (and at most 60 s ahead); now is "
              + now.getEpochSecond());
    }
    try {
      EthSignatureVerifier.verify(
          ethAddress, message(signedAt.getEpochSecond(), ethAddress), signature);
    } catch (OwnershipRejectedException e) {
      HttpStatus status =
          e.reason() == OwnershipRejectedException.Reason.MALFORMED_ETH_SIGNATURE
              ? HttpStatus.BAD_REQUEST
              : HttpStatus.UNAUTHORIZED;
      throw new ApiException(status, e.reason().code(), e.getMessage());
    }
  }
}
