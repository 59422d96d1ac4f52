package com.reservebtc.oracle.ownership;

import com.reservebtc.oracle.ownership.OwnershipRejectedException.Reason;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SignatureException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/**
 * The EVM address's consent: an EIP-191 {@code personal_sign} signature over the same message the
 * Bitcoin key signed.
 *
 * <p>The signed bytes are {@code 0x19 ‖ "Ethereum Signed Message:\n" ‖ decimal byte length of the
 * message ‖ the message as UTF-8} hashed with Keccak-256, which is what every wallet's {@code
 * personal_sign} (and {@code eth_sign} of a string in ethers/viem) produces. The signature is the
 * usual 65 bytes {@code r ‖ s ‖ v} as {@code 0x} + 130 hex digits, {@code v} 27/28 (or 0/1).
 *
 * <p>Guarantees: accepts only when the address recovered from the signature is exactly the given
 * address; refuses {@code s} in the upper half of the curve order (EIP-2), so one consent has one
 * encoding. Does not check the message text or its timestamp; {@link OwnershipMessage} and {@link
 * UnbindMessage} do.
 */
public final class EthSignatureVerifier {

  private static final Pattern HEX_SIGNATURE = Pattern.compile("0x[0-9a-fA-F]{130}");
  private static final BigInteger CURVE_ORDER = Sign.CURVE_PARAMS.getN();
  private static final BigInteger HALF_ORDER = CURVE_ORDER.shiftRight(1);

  private EthSignatureVerifier() {}

  /**
   * @param ethAddress lower-case 0x address that must have signed
   * @param message the exact text signed
   * @param signature {@code 0x} + 130 hex digits
   * @throws OwnershipRejectedException {@link Reason#ETH_SIGNATURE_REQUIRED}, {@link
   *     Reason#MALFORMED_ETH_SIGNATURE} or {@link Reason#INVALID_ETH_SIGNATURE}
   */
  public static void verify(String ethAddress, String message, String signature) {
    if (signature == null || signature.isEmpty()) {
      throw new OwnershipRejectedException(
          Reason.ETH_SIGNATURE_REQUIRED,
          "ethSignature is required: sign the same message with "
              + ethAddress
              + " (EIP-191 personal_sign) so the EVM address consents to the binding");
    }
    if (!HEX_SIGNATURE.matcher(signature).matches()) {
      throw malformed("ethSignature must be 0x followed by 130 hex digits (r, s, v)");
    }
    byte[] bytes = HexFormat.of().parseHex(signature.substring(2));
    byte[] r = java.util.Arrays.copyOfRange(bytes, 0, 32);
    byte[] s = java.util.Arrays.copyOfRange(bytes, 32, 64);
    int v = bytes[64] & 0xff;
    if (v == 0 || v == 1) {
      v += 27;
    }
    if (v != 27 && v != 28) {
      throw malformed("ethSignature's v must be 27 or 28 (or 0 or 1), was " + (bytes[64] & 0xff));
    }
    BigInteger rValue = new BigInteger(1, r);
    BigInteger sValue = new BigInteger(1, s);
    if (rValue.signum() == 0
        || sValue.signum() == 0
        || rValue.compareTo(CURVE_ORDER) >= 0
        || sValue.compareTo(CURVE_ORDER) >= 0) {
      throw malformed("ethSignature's r or s is outside the secp256k1 range");
    }
    if (sValue.compareTo(HALF_ORDER) > 0) {
      throw malformed("ethSignature has a high s value; wallets produce low-s signatures (EIP-2)");
    }
    String recovered;
    try {
      BigInteger publicKey =
          Sign.signedPrefixedMessageToKey(
              message.getBytes(StandardCharsets.UTF_8), new Sign.SignatureData((byte) v, r, s));
      recovered = "0x" + Keys.getAddress(publicKey).toLowerCase(Locale.ROOT);
    } catch (SignatureException | RuntimeException e) {
      throw new OwnershipRejectedException(
          Reason.INVALID_ETH_SIGNATURE, "no public key can be recovered from ethSignature");
    }
    if (!recovered.equals(ethAddress)) {
      throw new OwnershipRejectedException(
          Reason.INVALID_ETH_SIGNATURE,
          "ethSignature was made by "
              + recovered
              + ", not by "
              + ethAddress
              + " (or over another message): the EVM address itself must sign the exact message");
    }
  }

  private static OwnershipRejectedException malformed(String message) {
    return new OwnershipRejectedException(Reason.MALFORMED_ETH_SIGNATURE, message);
  }
}
