package com.reservebtc.indexer.publish;

/**
 * The latest record under this chain's key on the cursor topic is a tombstone: someone deleted the
 * cursor. The indexer does not know what it published before, and starting over from the configured
 * start blocks would publish every event a second time, so it waits for an operator (restore the
 * cursor, or set {@code rbtc.indexer.on-deleted-cursor=start-over}).
 */
public class CursorDeletedException extends RuntimeException {

  public CursorDeletedException(String message) {
    super(message);
  }
}
