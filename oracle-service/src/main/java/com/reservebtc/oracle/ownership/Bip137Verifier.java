package com.reservebtc.oracle.ownership;

import com.reservebtc.oracle.ownership.OwnershipRejectedException.Reason;
import java.math.BigInteger;
import java.util.Arrays;
import org.bitcoinj.base.ScriptType;
import org.bitcoinj.base.Sha256Hash;
import org.bitcoinj.crypto.ECKey;

/**
 * BIP-137 compact signatures: 65 bytes = header, r, s. The header encodes the recovery id and which
 * address form the signer meant: 27–30 P2PKH with an uncompressed key, 31–34 P2PKH compressed,
 * 35–38 P2SH-P2WPKH, 39–42 P2WPKH. Electrum-style wallets sign segwit addresses with the 31–34
 * header, so those are accepted for P2SH-P2WPKH and P2WPKH too.
 *
 * <p>Guarantees: accepts only when the public key recovered from the signature hashes to exactly
 * the given address (HASH160 for P2PKH and P2WPKH, the hash of the {@code 0 <keyhash>} redeem
 * script for P2SH). Does not support P2WSH or Taproot addresses (they need BIP-322) and does not
 * require low-S signatures (BIP-137 never did).
 */
public final class Bip137Verifier implements SignatureVerifier {

  static final int SIGNATURE_LENGTH = 65;

  private static final BigInteger CURVE_ORDER = ECKey.ecDomainParameters().getN();

  @Override
  public SignatureScheme scheme() {
    return SignatureScheme.BIP137;
  }

  @Override
  public boolean recognises(byte[] signature) {
    return signature.length == SIGNATURE_LENGTH;
  }

  @Override
  public void verify(BtcAddress address, String message, byte[] signature) {
    if (signature.length != SIGNATURE_LENGTH) {
      throw new OwnershipRejectedException(
          Reason.MALFORMED_SIGNATURE,
          "a BIP-137 signature has 65 bytes, this one has " + signature.length);
    }
    HeaderKind kind = HeaderKind.of(signature[0] & 0xff);
    requireKindFits(kind, address);
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 1, 33));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 33, 65));
    if (r.signum() == 0
        || s.signum() == 0
        || r.compareTo(CURVE_ORDER) >= 0
        || s.compareTo(CURVE_ORDER) >= 0) {
      throw new OwnershipRejectedException(
          Reason.MALFORMED_SIGNATURE, "signature r or s is outside the secp256k1 range");
    }
    int recoveryId = ((signature[0] & 0xff) - 27) % 4;
    Sha256Hash digest = BitcoinMessage.hash(message);
    ECKey key;
    try {
      key =
          ECKey.recoverFromSignature(
              recoveryId, new ECKey.ECDSASignature(r, s), digest, kind.compressed);
    } catch (IllegalArgumentException e) {
      throw new OwnershipRejectedException(
          Reason.INVALID_SIGNATURE, "no public key can be recovered from this signature");
    }
    if (key == null) {
      throw new OwnershipRejectedException(
          Reason.INVALID_SIGNATURE, "no public key can be recovered from this signature");
    }
    if (!Arrays.equals(committedProgram(key.getPubKey(), address.type()), address.program())) {
      throw new OwnershipRejectedException(
          Reason.INVALID_SIGNATURE,
          "the signature does not prove control of "
              + address.text()
              + ": it was made for another message or by another key");
    }
  }

  private static void requireKindFits(HeaderKind kind, BtcAddress address) {
    boolean fits =
        switch (address.type()) {
          case P2PKH ->
              kind == HeaderKind.P2PKH_UNCOMPRESSED || kind == HeaderKind.P2PKH_COMPRESSED;
          case P2SH -> kind == HeaderKind.P2SH_P2WPKH || kind == HeaderKind.P2PKH_COMPRESSED;
          case P2WPKH -> kind == HeaderKind.P2WPKH || kind == HeaderKind.P2PKH_COMPRESSED;
          default ->
              throw new OwnershipRejectedException(
                  Reason.UNSUPPORTED_ADDRESS_TYPE,
                  address.type().id()
                      + " addresses cannot be proven with a BIP-137 signature; use a P2PKH,"
                      + " P2SH-P2WPKH or P2WPKH address");
        };
    if (!fits) {
      throw new OwnershipRejectedException(
          Reason.INVALID_SIGNATURE,
          "signature header is for "
              + kind.description
              + " but "
              + address.text()
              + " is a "
              + address.type().id()
              + " address");
    }
  }

  /** What {@code address} commits to if the recovered key {@code pubKey} controls it. */
  private static byte[] committedProgram(byte[] pubKey, ScriptType type) {
    byte[] keyHash = BitcoinMessage.hash160(pubKey);
    if (type != ScriptType.P2SH) {
      return keyHash;
    }
    // P2SH-P2WPKH: the redeem script is OP_0 PUSH20 <keyhash>.
    byte[] redeemScript = new byte[22];
    redeemScript[0] = 0x00;
    redeemScript[1] = 0x14;
    System.arraycopy(keyHash, 0, redeemScript, 2, 20);
    return BitcoinMessage.hash160(redeemScript);
  }

  private enum HeaderKind {
    P2PKH_UNCOMPRESSED(false, "P2PKH with an uncompressed key"),
    P2PKH_COMPRESSED(true, "P2PKH (or Electrum-style segwit) with a compressed key"),
    P2SH_P2WPKH(true, "P2SH-P2WPKH"),
    P2WPKH(true, "P2WPKH");

    final boolean compressed;
    final String description;

    HeaderKind(boolean compressed, String description) {
      this.compressed = compressed;
      this.description = description;
    }

    static HeaderKind of(int header) {
      if (header >= 27 && header <= 30) {
        return P2PKH_UNCOMPRESSED;
      }
      if (header >= 31 && header <= 34) {
        return P2PKH_COMPRESSED;
      }
      if (header >= 35 && header <= 38) {
        return P2SH_P2WPKH;
      }
      if (header >= 39 && header <= 42) {
        return P2WPKH;
      }
      throw new OwnershipRejectedException(
          Reason.MALFORMED_SIGNATURE, "BIP-137 header byte must be 27..42, was " + header);
    }
  }
}
