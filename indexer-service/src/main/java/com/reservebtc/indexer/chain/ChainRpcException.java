package com.reservebtc.indexer.chain;

/**
 * A JSON-RPC call failed: the node was unreachable, timed out or answered with an error. Always
 * retriable from the indexer's point of view; the message names the method and the node's answer.
 */
public class ChainRpcException extends RuntimeException {

  public ChainRpcException(String message) {
    super(message);
  }

  public ChainRpcException(String message, Throwable cause) {
    super(message, cause);
  }
}
