package com.reservebtc.gateway.profiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 keys of the private profiles, by key id, and the current one. Loaded once from {@link
 * ProfileProperties}: the keys directory (a mounted Secret) and keys given directly; the same id in
 * both is refused. A malformed key or a current key id without a key stops the start with a message
 * naming the key id (never the key). No key at all is allowed: profiles are then unavailable and
 * every profile request says so.
 */
public final class ProfileKeys {

  private static final Pattern KEY_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$");
  private static final int KEY_BYTES = 32;

  private final Map<String, SecretKey> keys;
  private final String currentKeyId;

  private ProfileKeys(Map<String, SecretKey> keys, String currentKeyId) {
    this.keys = Map.copyOf(keys);
    this.currentKeyId = currentKeyId;
  }

  public static ProfileKeys load(ProfileProperties properties) {
    Map<String, SecretKey> keys = new TreeMap<>();
    if (!properties.keysDir().isBlank()) {
      Path dir = Path.of(properties.keysDir().trim());
      if (!Files.isDirectory(dir)) {
        throw new IllegalStateException(
            "rbtc.gateway.profiles.keys-dir (RBTC_GATEWAY_PROFILES_KEYS_DIR) "
                + dir
                + " is not a directory; mount the profile key Secret there or unset it");
      }
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.sorted().toList()) {
          String id = file.getFileName().toString();
          if (id.startsWith(".") || !Files.isRegularFile(file)) {
            continue; // a mounted Secret's own ..data links and timestamped directories
          }
          keys.put(id, key(id, Files.readString(file, StandardCharsets.US_ASCII)));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the profile keys in " + dir, e);
      }
    }
    properties
        .keys()
        .forEach(
            (id, value) -> {
              if (keys.containsKey(id)) {
                throw new IllegalStateException(
                    "profile key '" + id + "' is configured twice (keys-dir and keys); keep one");
              }
              keys.put(id, key(id, value));
            });
    String current = properties.currentId().trim();
    if (keys.isEmpty()) {
      if (!current.isEmpty()) {
        throw new IllegalStateException(
            "rbtc.gateway.profiles.current-id is '"
                + current
                + "' but no profile key is configured (RBTC_GATEWAY_PROFILES_KEYS_DIR or"
                + " RBTC_GATEWAY_PROFILES_KEYS_<ID>)");
      }
      return new ProfileKeys(keys, null);
    }
    if (current.isEmpty() || !keys.containsKey(current)) {
      throw new IllegalStateException(
          "rbtc.gateway.profiles.current-id (RBTC_GATEWAY_PROFILES_CURRENT_ID) must name"
              + " one of the configured profile keys "
              + keys.keySet()
              + ", but is '"
              + current
              + "'");
    }
    return new ProfileKeys(keys, current);
  }

  private static SecretKey key(String id, String base64) {
    if (!KEY_ID.matcher(id).matches()) {
      throw new IllegalStateException(
          "profile key id '" + id + "' must be 1-64 letters, digits, '.', '_' or '-'");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("profile key '" + id + "' is not base64");
    }
    if (bytes.length != KEY_BYTES) {
      throw new IllegalStateException(
          "profile key '"
              + id
              + "' must be 32 bytes (AES-256, e.g. `openssl rand -base64 32`), not "
              + bytes.length);
    }
    return new SecretKeySpec(bytes, "AES");
  }

  /** The key new profiles are sealed with, or empty when no key is configured. */
  public Optional<String> currentKeyId() {
    return Optional.ofNullable(currentKeyId);
  }

  public Set<String> keyIds() {
    return keys.keySet();
  }

  Optional<SecretKey> key(String id) {
    return Optional.ofNullable(keys.get(id));
  }

  @Override
  public String toString() {
    return "ProfileKeys[current=" + currentKeyId + ", ids=" + keys.keySet() + "]";
  }
}
