package com.reservebtc.gateway.projection;

/**
 * A record that can never be applied, however often it is retried (malformed address or amount,
 * wrong type for its topic). The error handler sends it to the dead-letter topic at once.
 */
final class InvalidRecordException extends RuntimeException {

  InvalidRecordException(String message) {
    super(message);
  }
}
