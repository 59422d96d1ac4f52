package com.reservebtc.gateway.profiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileKeysTest {

  private static final String KEY_A = Base64.getEncoder().encodeToString(bytes(32, 1));
  private static final String KEY_B = Base64.getEncoder().encodeToString(bytes(32, 2));
  private static final String ADDRESS = "0x" + "ab".repeat(20);

  @Test
  void readsOneKeyPerFileOfAMountedSecretAndSkipsItsDotEntries(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("2026-01"), KEY_A + "\n", StandardCharsets.US_ASCII);
    Files.writeString(dir.resolve("2026-06"), KEY_B, StandardCharsets.US_ASCII);
    Files.createDirectory(dir.resolve("..2026_06_01_data"));
    Files.writeString(dir.resolve(".hidden"), "not a key");
    ProfileKeys keys = ProfileKeys.load(new ProfileProperties("2026-06", dir.toString(), Map.of()));
    assertThat(keys.keyIds()).containsExactlyInAnyOrder("2026-01", "2026-06");
    assertThat(keys.currentKeyId()).contains("2026-06");
    assertThat(keys.toString()).doesNotContain(KEY_A).doesNotContain(KEY_B);
  }

  @Test
  void refusesKeysThatAreNotAes256AndACurrentIdWithoutAKey() {
    assertThatThrownBy(
            () ->
                ProfileKeys.load(
                    new ProfileProperties(
                        "k1", "", Map.of("k1", Base64.getEncoder().encodeToString(bytes(16, 1))))))
        .hasMessageContaining("'k1' must be 32 bytes")
        .hasMessageNotContaining(Base64.getEncoder().encodeToString(bytes(16, 1)));
    assertThatThrownBy(
            () -> ProfileKeys.load(new ProfileProperties("k1", "", Map.of("k1", "not base64!"))))
        .hasMessageContaining("'k1' is not base64");
    assertThatThrownBy(() -> ProfileKeys.load(new ProfileProperties("k9", "", Map.of("k1", KEY_A))))
        .hasMessageContaining("must name one of the configured profile keys [k1]");
    assertThatThrownBy(() -> ProfileKeys.load(new ProfileProperties("k1", "", Map.of())))
        .hasMessageContaining("no profile key is configured");
    assertThat(ProfileKeys.load(new ProfileProperties("", "", Map.of())).currentKeyId()).isEmpty();
    assertThat(new ProfileProperties("k1", "", Map.of("k1", KEY_A)).toString())
        .doesNotContain(KEY_A);
  }

  @Test
  void aCiphertextOpensOnlyForItsAddressAndKey() {
    ProfileCipher cipher =
        new ProfileCipher(ProfileKeys.load(new ProfileProperties("a", "", Map.of("a", KEY_A))));
    byte[] plain = "{\"notes\":\"n\"}".getBytes(StandardCharsets.UTF_8);
    ProfileCipher.Sealed sealed = cipher.seal(ADDRESS, plain);
    ProfileCipher.Sealed again = cipher.seal(ADDRESS, plain);
    assertThat(sealed.nonce()).isNotEqualTo(again.nonce());
    assertThat(cipher.open(ADDRESS, sealed)).isEqualTo(plain);
    assertThatThrownBy(() -> cipher.open("0x" + "cd".repeat(20), sealed))
        .isInstanceOfSatisfying(
            ProfileKeyException.class,
            e -> assertThat(e.reason()).isEqualTo(ProfileKeyException.Reason.KEY_MISMATCH));
    ProfileCipher other =
        new ProfileCipher(ProfileKeys.load(new ProfileProperties("a", "", Map.of("a", KEY_B))));
    assertThatThrownBy(() -> other.open(ADDRESS, sealed))
        .isInstanceOf(ProfileKeyException.class)
        .hasMessageContaining("key 'a'");
  }

  private static byte[] bytes(int length, int seed) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (seed * 31 + i);
    }
    return bytes;
  }
}
