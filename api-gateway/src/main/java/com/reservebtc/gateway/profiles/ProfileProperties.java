package com.reservebtc.gateway.profiles;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the keys of the private user profiles come from ({@code rbtc.gateway.profiles}). Keys are
 * AES-256 keys, base64 of 32 bytes, each named by a key id stored with every ciphertext.
 *
 * @param currentId the id of the key new and re-encrypted profiles are sealed with; required once
 *     any key is configured
 * @param keysDir a directory (a mounted Kubernetes Secret) holding one key per file, the file name
 *     being its key id; files whose name starts with a dot are skipped
 * @param keys keys given directly (environment {@code RBTC_GATEWAY_PROFILES_KEYS_<ID>})
 */
@ConfigurationProperties("rbtc.gateway.profiles")
public record ProfileProperties(
    @DefaultValue("") String currentId,
    @DefaultValue("") String keysDir,
    @DefaultValue Map<String, String> keys) {

  /** Never shows key material. */
  @Override
  public String toString() {
    return "ProfileProperties[currentId="
        + currentId
        + ", keysDir="
        + keysDir
        + ", keys="
        + keys.keySet()
        + "]";
  }
}
