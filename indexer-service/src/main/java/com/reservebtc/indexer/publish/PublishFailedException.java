package com.reservebtc.indexer.publish;

/**
 * A Kafka transaction did not commit, or it is unknown whether it did. The caller must re-read its
 * state from the cursor topic before publishing again; the producer has already been replaced.
 */
public class PublishFailedException extends RuntimeException {

  public PublishFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
