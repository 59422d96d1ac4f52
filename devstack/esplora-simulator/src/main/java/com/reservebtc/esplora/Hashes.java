package com.reservebtc.esplora;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SHA-256 as 64 lower-case hex characters: the shape of every simulated txid and block hash. */
final class Hashes {
  private static final Pattern HASH = Pattern.compile("[0-9a-fA-F]{64}");

  private Hashes() {}

  static String sha256Hex(String preimage) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(preimage.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK ships SHA-256", e);
    }
  }

  static boolean isHash(String value) {
    return value != null && HASH.matcher(value).matches();
  }
}
