package com.reservebtc.indexer.publish;

/**
 * Another indexer instance for the same chain opened a producer with this instance's transactional
 * id, so this instance may no longer publish. Fatal for this instance.
 */
public class FencedOutException extends RuntimeException {

  public FencedOutException(String message, Throwable cause) {
    super(message, cause);
  }
}
