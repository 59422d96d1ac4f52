package com.reservebtc.devstack;

/**
 * A failure the user can act on: the message says what went wrong and what to do about it. The
 * launcher prints the message (and the causes' messages) instead of a stack trace.
 */
public final class DevStackException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public DevStackException(String message) {
    super(message);
  }

  public DevStackException(String message, Throwable cause) {
    super(message, cause);
  }
}
