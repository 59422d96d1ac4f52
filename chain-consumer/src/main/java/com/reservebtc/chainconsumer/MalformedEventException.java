package com.reservebtc.chainconsumer;

/**
 * A record that decoded but whose content cannot be applied (wrong value type for the topic, an
 * amount out of range, a malformed address). Retrying cannot help, so the error handler
 * dead-letters it at once.
 */
public class MalformedEventException extends RuntimeException {

  public MalformedEventException(String message) {
    super(message);
  }

  public MalformedEventException(String message, Throwable cause) {
    super(message, cause);
  }
}
