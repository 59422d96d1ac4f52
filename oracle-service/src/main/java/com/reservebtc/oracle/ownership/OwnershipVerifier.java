package com.reservebtc.oracle.ownership;

import com.reservebtc.oracle.ownership.OwnershipRejectedException.Reason;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Decides whether an {@link OwnershipClaim} proves that the claimant controls the Bitcoin address.
 *
 * <p>Checks, in order: the EVM address is well-formed; the message is exactly the SPEC template
 * naming that address and dated within [now − 1 h, now + 60 s]; the Bitcoin address is valid on the
 * configured network; the signature is strict base64 and the first {@link SignatureVerifier} that
 * recognises its encoding accepts it. Nothing is accepted by default: a signature that no verifier
 * recognises is rejected. Does not check whether the address is already bound; that is the
 * database's job.
 */
public final class OwnershipVerifier {

  private static final Pattern EVM_ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");

  private final BtcNetwork network;
  private final List<SignatureVerifier> verifiers;
  private final Clock clock;

  public OwnershipVerifier(BtcNetwork network, List<SignatureVerifier> verifiers, Clock clock) {
    this.network = Objects.requireNonNull(network, "network");
    this.verifiers = List.copyOf(verifiers);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public BtcNetwork network() {
    return network;
  }

  /**
   * @throws OwnershipRejectedException saying which check failed
   */
  public VerifiedOwnership verify(OwnershipClaim claim) {
    String ethAddress = requireEthAddress(claim.ethAddress());
    OwnershipMessage message = OwnershipMessage.parse(claim.message());
    message.requireValidFor(ethAddress, clock.instant());
    BtcAddress btcAddress = BtcAddress.parse(claim.btcAddress(), network);
    byte[] signature = decodeSignature(claim.signature());
    SignatureVerifier verifier =
        verifiers.stream()
            .filter(v -> v.recognises(signature))
            .findFirst()
            .orElseThrow(
                () ->
                    new OwnershipRejectedException(
                        Reason.UNSUPPORTED_SIGNATURE,
                        "signature of "
                            + signature.length
                            + " bytes is not a supported format; sign with a wallet that"
                            + " produces a 65-byte BIP-137 (\"signmessage\") signature"));
    verifier.verify(btcAddress, claim.message(), signature);
    return new VerifiedOwnership(
        ethAddress,
        btcAddress,
        network,
        verifier.scheme(),
        message.timestamp(),
        claim.message(),
        claim.signature().trim());
  }

  private static String requireEthAddress(String ethAddress) {
    if (ethAddress == null || !EVM_ADDRESS.matcher(ethAddress.trim()).matches()) {
      throw new OwnershipRejectedException(
          Reason.INVALID_ETH_ADDRESS,
          "ethAddress must be 0x followed by 40 hex digits, was '" + ethAddress + "'");
    }
    return ethAddress.trim().toLowerCase(Locale.ROOT);
  }

  private static byte[] decodeSignature(String signature) {
    if (signature == null || signature.isBlank()) {
      throw new OwnershipRejectedException(Reason.MALFORMED_SIGNATURE, "signature is required");
    }
    try {
      return Base64.getDecoder().decode(signature.trim());
    } catch (IllegalArgumentException e) {
      throw new OwnershipRejectedException(
          Reason.MALFORMED_SIGNATURE, "signature is not valid base64: " + e.getMessage());
    }
  }
}
