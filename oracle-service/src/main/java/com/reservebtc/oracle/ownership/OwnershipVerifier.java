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
 * configured network; the signature is strict base64 and the first {@link SignatureVerifier} (in
 * the configured order) that recognises its encoding accepts it; the EVM address signed the same
 * message ({@link EthSignatureVerifier}), so nobody can bind their coins to someone else's address
 * (and charge that address's fee vault for every sync). Nothing is accepted by default: a signature
 * that no verifier recognises is rejected. Order matters where encodings overlap: BIP-137 claims
 * exactly the 65-byte compact form, so it goes before BIP-322, which claims any witness stack (a
 * valid P2WPKH or P2TR witness is never 65 bytes long). Does not check whether the address is
 * already bound; that is the database's job.
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
    SignatureScheme scheme = verifySignature(btcAddress, claim.message(), claim.signature());
    EthSignatureVerifier.verify(ethAddress, claim.message(), claim.ethSignature());
    return new VerifiedOwnership(
        ethAddress,
        btcAddress,
        network,
        scheme,
        message.timestamp(),
        claim.message(),
        claim.signature(),
        claim.ethSignature().toLowerCase(Locale.ROOT));
  }

  /**
   * Checks that {@code signature} (base64, optionally with the BIP-322 {@code smp} prefix) over
   * exactly {@code message} was made by the key controlling {@code address}.
   *
   * @return the scheme that proved it
   * @throws OwnershipRejectedException if no supported scheme accepts it
   */
  public SignatureScheme verifySignature(BtcAddress address, String message, String signature) {
    DecodedSignature decoded = decodeSignature(signature);
    SignatureVerifier verifier =
        verifiers.stream()
            .filter(v -> decoded.scheme() == null || v.scheme() == decoded.scheme())
            .filter(v -> v.recognises(decoded.bytes()))
            .findFirst()
            .orElseThrow(
                () ->
                    new OwnershipRejectedException(
                        Reason.UNSUPPORTED_SIGNATURE,
                        "signature of "
                            + decoded.bytes().length
                            + " bytes is not a supported format; sign with a wallet that"
                            + " produces a BIP-322 simple signature (a witness stack) or a 65-byte"
                            + " BIP-137 (\"signmessage\") signature"));
    verifier.verify(address, message, decoded.bytes());
    return verifier.scheme();
  }

  /**
   * @throws OwnershipRejectedException unless {@code ethAddress} is exactly 0x and 40 hex digits
   *     (no surrounding whitespace or control characters: what is checked is what is stored)
   */
  public static String requireEthAddress(String ethAddress) {
    if (ethAddress == null || !EVM_ADDRESS.matcher(ethAddress).matches()) {
      throw new OwnershipRejectedException(
          Reason.INVALID_ETH_ADDRESS,
          "ethAddress must be exactly 0x followed by 40 hex digits, was '"
              + Printable.of(ethAddress)
              + "'");
    }
    return ethAddress.toLowerCase(Locale.ROOT);
  }

  /**
   * Base64, strictly. The BIP-322 variant prefixes are honoured: {@code smp} marks a simple
   * signature; {@code ful} and {@code pof} (full, proof of funds) are refused. No unprefixed
   * encoding this service accepts starts with those letters (BIP-137 signatures start with G–K,
   * simple P2WPKH and P2TR witnesses with A).
   */
  private static DecodedSignature decodeSignature(String signature) {
    if (signature == null || signature.isBlank()) {
      throw new OwnershipRejectedException(Reason.MALFORMED_SIGNATURE, "signature is required");
    }
    String text = signature;
    SignatureScheme scheme = null;
    if (text.startsWith("ful") || text.startsWith("pof")) {
      throw new OwnershipRejectedException(
          Reason.UNSUPPORTED_SIGNATURE,
          "BIP-322 full and proof-of-funds signatures are not supported; sign with the simple"
              + " format");
    }
    if (text.startsWith("smp")) {
      scheme = SignatureScheme.BIP322_SIMPLE;
      text = text.substring(3);
    }
    try {
      return new DecodedSignature(Base64.getDecoder().decode(text), scheme);
    } catch (IllegalArgumentException e) {
      throw new OwnershipRejectedException(
          Reason.MALFORMED_SIGNATURE, "signature is not valid base64: " + e.getMessage());
    }
  }

  /**
   * @param scheme the scheme a prefix demanded, or null if any may recognise it
   */
  private record DecodedSignature(byte[] bytes, SignatureScheme scheme) {}
}
