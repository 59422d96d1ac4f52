package com.reservebtc.yield.pool;

/** A read of the pool that did not produce an answer; the message names the node redacted. */
final class PoolReadException extends Exception {

  PoolReadException(String message, Throwable cause) {
    super(message, cause);
  }
}
