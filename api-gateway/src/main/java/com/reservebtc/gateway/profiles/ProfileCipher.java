package com.reservebtc.gateway.profiles;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals and opens private profile data with AES-256-GCM: a fresh random 96-bit nonce per seal, a
 * 128-bit tag, and the user's address (with a format label) as associated data, so a ciphertext
 * only opens for the row it was written for. Opening reports a missing or wrong key as a {@link
 * ProfileKeyException} naming the key id, never as empty data.
 */
public final class ProfileCipher {

  private static final String ASSOCIATED_PREFIX = "rbtc-profile-v1:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  /** Ciphertext of one profile with the id of the key and the nonce it was sealed with. */
  public record Sealed(String keyId, byte[] nonce, byte[] ciphertext) {}

  private final ProfileKeys keys;
  private final SecureRandom random = new SecureRandom();

  public ProfileCipher(ProfileKeys keys) {
    this.keys = keys;
  }

  /** Seals {@code plaintext} of {@code address} under the current key. */
  public Sealed seal(String address, byte[] plaintext) {
    String keyId = keys.currentKeyId().orElseThrow(ProfileCipher::noKey);
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, keys.key(keyId).orElseThrow(), nonce, address);
      return new Sealed(keyId, nonce, cipher.doFinal(plaintext));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JVM", e);
    }
  }

  /** Opens a profile of {@code address}; fails clearly when its key is missing or wrong. */
  public byte[] open(String address, Sealed sealed) {
    if (keys.currentKeyId().isEmpty()) {
      throw noKey();
    }
    SecretKey key =
        keys.key(sealed.keyId())
            .orElseThrow(
                () ->
                    new ProfileKeyException(
                        ProfileKeyException.Reason.KEY_NOT_CONFIGURED,
                        "the profile of "
                            + address
                            + " is encrypted under key '"
                            + sealed.keyId()
                            + "', which is not configured (configured: "
                            + keys.keyIds()
                            + "); keep a rotated key configured until the re-encryption has moved"
                            + " every profile off it"));
    try {
      return cipher(Cipher.DECRYPT_MODE, key, sealed.nonce(), address).doFinal(sealed.ciphertext());
    } catch (AEADBadTagException e) {
      throw new ProfileKeyException(
          ProfileKeyException.Reason.KEY_MISMATCH,
          "the profile of "
              + address
              + " does not decrypt with the configured key '"
              + sealed.keyId()
              + "': the key of that id is not the one it was encrypted with, or the row was"
              + " altered");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JVM", e);
    }
  }

  private static ProfileKeyException noKey() {
    return new ProfileKeyException(
        ProfileKeyException.Reason.NO_KEY_CONFIGURED,
        "no profile encryption key is configured: set RBTC_GATEWAY_PROFILES_KEYS_DIR (a mounted"
            + " Secret) or RBTC_GATEWAY_PROFILES_KEYS_<ID>, and"
            + " RBTC_GATEWAY_PROFILES_CURRENT_ID");
  }

  /** The key new profiles are sealed with, or empty when none is configured. */
  public java.util.Optional<String> currentKeyId() {
    return keys.currentKeyId();
  }

  private static Cipher cipher(int mode, SecretKey key, byte[] nonce, String address)
      throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD((ASSOCIATED_PREFIX + address).getBytes(StandardCharsets.UTF_8));
    return cipher;
  }
}
