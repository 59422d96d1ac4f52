package com.reservebtc.oracle.ownership;

import com.reservebtc.oracle.ownership.OwnershipRejectedException.Reason;
import java.util.Arrays;
import org.bitcoinj.crypto.ECKey;
import org.bitcoinj.crypto.SignatureDecodeException;
import org.bitcoinj.crypto.TransactionSignature;

/**
 * BIP-322 "simple" signatures: a consensus-encoded witness stack that satisfies the address's
 * script as the first input of the virtual {@code to_sign} transaction.
 *
 * <p>Supported: P2WPKH (witness {@code [DER signature || 0x01, compressed public key]}, BIP-143
 * sighash, ECDSA) and single-key P2TR key-path spends (witness {@code [64-byte signature]} with the
 * default hash type, or 65 bytes ending in {@code 0x01}; BIP-341 sighash; BIP-340 Schnorr against
 * the output key in the address).
 *
 * <p>Guarantees: enforces the BIP's required rules that apply to these scripts — SIGHASH_ALL only
 * (or taproot's default, which means the same), strict DER and low S for ECDSA, compressed keys in
 * segwit v0, no extra witness items (CLEANSTACK). Everything else is rejected: P2PKH, P2SH and
 * P2WSH addresses, taproot script-path spends and annexes (the BIP would call these "inconclusive"
 * without a full script interpreter), and the "full" and "proof of funds" formats.
 */
public final class Bip322SimpleVerifier implements SignatureVerifier {

  private static final int SIGHASH_ALL = 0x01;
  private static final int TAPROOT_ANNEX_TAG = 0x50;

  @Override
  public SignatureScheme scheme() {
    return SignatureScheme.BIP322_SIMPLE;
  }

  @Override
  public boolean recognises(byte[] signature) {
    return WitnessStack.parse(signature).isPresent();
  }

  @Override
  public void verify(BtcAddress address, String message, byte[] signature) {
    WitnessStack witness =
        WitnessStack.parse(signature)
            .orElseThrow(
                () ->
                    new OwnershipRejectedException(
                        Reason.MALFORMED_SIGNATURE,
                        "a BIP-322 simple signature must be exactly one consensus-encoded witness"
                            + " stack"));
    byte[] challenge = address.scriptPubKey();
    byte[] toSpend =
        Bip322Transactions.toSpendTxid(challenge, Bip322Transactions.messageHash(message));
    boolean valid =
        switch (address.type()) {
          case P2WPKH -> verifyP2wpkh(address, witness, toSpend);
          case P2TR -> verifyP2tr(address, challenge, witness, toSpend);
          default ->
              throw new OwnershipRejectedException(
                  Reason.UNSUPPORTED_ADDRESS_TYPE,
                  "BIP-322 signatures are verified for P2WPKH (bc1q…) and P2TR (bc1p…) addresses"
                      + " only; "
                      + address.text()
                      + " is a "
                      + address.type().id()
                      + " address (sign a P2PKH or P2SH-P2WPKH address with BIP-137)");
        };
    if (!valid) {
      throw invalid(address, "the signature does not verify for this message and address");
    }
  }

  private static boolean verifyP2wpkh(BtcAddress address, WitnessStack witness, byte[] toSpend) {
    if (witness.size() != 2) {
      throw invalid(
          address,
          "a P2WPKH witness has 2 items (signature, public key), this one has " + witness.size());
    }
    byte[] publicKey = witness.item(1);
    if (publicKey.length != 33 || (publicKey[0] != 0x02 && publicKey[0] != 0x03)) {
      throw invalid(address, "a P2WPKH witness must carry a 33-byte compressed public key");
    }
    if (!Arrays.equals(BitcoinMessage.hash160(publicKey), address.program())) {
      throw invalid(address, "the witness public key does not belong to this address");
    }
    byte[] signature = witness.item(0);
    if (signature.length < 2 || (signature[signature.length - 1] & 0xff) != SIGHASH_ALL) {
      throw invalid(address, "the signature must use SIGHASH_ALL");
    }
    if (!TransactionSignature.isEncodingCanonical(signature)) {
      throw invalid(address, "the signature is not strictly DER-encoded");
    }
    ECKey.ECDSASignature ecdsa;
    try {
      ecdsa = ECKey.ECDSASignature.decodeFromDER(Arrays.copyOf(signature, signature.length - 1));
    } catch (SignatureDecodeException | IllegalArgumentException e) {
      throw invalid(address, "the signature cannot be decoded: " + e.getMessage());
    }
    if (!ecdsa.isCanonical()) {
      throw invalid(address, "the signature has a high S value (BIP-322 requires low S)");
    }
    byte[] sighash = Bip322Transactions.p2wpkhSighash(toSpend, address.program());
    return ECKey.verify(sighash, ecdsa, publicKey);
  }

  private static boolean verifyP2tr(
      BtcAddress address, byte[] challenge, WitnessStack witness, byte[] toSpend) {
    if (witness.size() >= 2 && lastItemIsAnnex(witness)) {
      throw new OwnershipRejectedException(
          Reason.UNSUPPORTED_SIGNATURE, "taproot witnesses with an annex are not supported");
    }
    if (witness.size() != 1) {
      throw new OwnershipRejectedException(
          Reason.UNSUPPORTED_SIGNATURE,
          "only taproot key-path signatures (a witness of one Schnorr signature) are supported;"
              + " this witness has "
              + witness.size()
              + " items");
    }
    byte[] signature = witness.item(0);
    int hashType;
    if (signature.length == 64) {
      hashType = 0x00;
    } else if (signature.length == 65 && (signature[64] & 0xff) == SIGHASH_ALL) {
      hashType = SIGHASH_ALL;
    } else {
      throw invalid(
          address,
          "a taproot signature has 64 bytes, or 65 ending in SIGHASH_ALL (0x01); this one has "
              + signature.length
              + " bytes");
    }
    byte[] sighash = Bip322Transactions.taprootKeySpendSighash(toSpend, challenge, hashType);
    return Schnorr.verify(address.program(), sighash, Arrays.copyOf(signature, 64));
  }

  private static boolean lastItemIsAnnex(WitnessStack witness) {
    byte[] last = witness.item(witness.size() - 1);
    return last.length > 0 && (last[0] & 0xff) == TAPROOT_ANNEX_TAG;
  }

  private static OwnershipRejectedException invalid(BtcAddress address, String detail) {
    return new OwnershipRejectedException(
        Reason.INVALID_SIGNATURE,
        "BIP-322 signature rejected for " + address.text() + ": " + detail);
  }
}
