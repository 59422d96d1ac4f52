package com.reservebtc.oracle.ownership;

/**
 * Verifies one Bitcoin message-signature scheme. Implementations are stateless and thread-safe.
 *
 * <p>{@link OwnershipVerifier} asks each verifier in turn whether it {@link #recognises} the
 * decoded signature and lets the first that does decide; a verifier that recognises a signature
 * must then either accept it or throw, never pass it on.
 */
public interface SignatureVerifier {

  SignatureScheme scheme();

  /** Whether {@code signature} is encoded the way this scheme encodes signatures. */
  boolean recognises(byte[] signature);

  /**
   * Checks that {@code signature} over {@code message} was made by the key that controls {@code
   * address}.
   *
   * @throws OwnershipRejectedException if it was not, or if this scheme cannot prove ownership of
   *     that kind of address
   */
  void verify(BtcAddress address, String message, byte[] signature);
}
