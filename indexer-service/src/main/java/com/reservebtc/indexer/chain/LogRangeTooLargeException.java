package com.reservebtc.indexer.chain;

/**
 * The node refused an eth_getLogs range as too large (too many blocks or results). The caller asks
 * again for a smaller range; nothing is wrong with the endpoint.
 */
public class LogRangeTooLargeException extends ChainRpcException {

  public LogRangeTooLargeException(String message, Throwable cause) {
    super(message, cause);
  }
}
