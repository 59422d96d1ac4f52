package com.reservebtc.devstack.chaos;

/**
 * The fault test itself could not go on (a component it drives failed), as opposed to a mismatch.
 */
public class ChaosException extends RuntimeException {

  public ChaosException(String message) {
    super(message);
  }

  public ChaosException(String message, Throwable cause) {
    super(message, cause);
  }
}
