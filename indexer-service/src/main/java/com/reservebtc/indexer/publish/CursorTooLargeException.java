package com.reservebtc.indexer.publish;

/**
 * Kafka refused the cursor record as too large: the reorg window holds more records than the cursor
 * topic's {@code max.message.bytes} (or the producer's {@code max.request.size}) allows. Nothing
 * was published; indexing cannot go on until an operator raises the limit.
 */
public class CursorTooLargeException extends PublishFailedException {

  public CursorTooLargeException(String message, Throwable cause) {
    super(message, cause);
  }
}
