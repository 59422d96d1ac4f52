package com.reservebtc.indexer.ingest;

/**
 * The node's answers within one pass did not describe a single chain (a block vanished, hashes of
 * logs and headers disagree): the chain moved while it was being read. Nothing was published; the
 * pass is simply retried.
 */
class ChainMovedException extends RuntimeException {

  ChainMovedException(String message) {
    super(message);
  }
}
