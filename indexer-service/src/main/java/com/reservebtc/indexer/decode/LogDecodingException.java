package com.reservebtc.indexer.decode;

/**
 * A log of a configured contract carried a known event signature but could not be decoded with that
 * event's ABI. That means the configured address or ABI is wrong, so it is not skipped: indexing
 * stops at this log until the configuration is fixed.
 */
public class LogDecodingException extends RuntimeException {

  public LogDecodingException(String message) {
    super(message);
  }

  public LogDecodingException(String message, Throwable cause) {
    super(message, cause);
  }
}
