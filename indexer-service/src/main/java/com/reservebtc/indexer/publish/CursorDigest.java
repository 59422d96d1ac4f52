package com.reservebtc.indexer.publish;

import com.reservebtc.schemas.avro.IndexerCursor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The identity of a cursor record: SHA-256 of its chain, tip and {@code updatedAtMillis}, lowercase
 * hex. One writer never stamps two cursors with the same millisecond, so this identifies a cursor
 * without hashing its (possibly megabytes of) window records. Should a fenced former instance store
 * coverage under the same identity, the second insert fails rather than overwrites, and its
 * transaction is retried with a new stamp.
 */
final class CursorDigest {

  private CursorDigest() {}

  static String of(IndexerCursor cursor) {
    String identity =
        cursor.getChainId()
            + ":"
            + cursor.getBlockNumber()
            + ":"
            + cursor.getBlockHash()
            + ":"
            + cursor.getUpdatedAtMillis();
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(identity.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }
}
