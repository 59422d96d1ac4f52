package com.reservebtc.oracle.chain;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The EVM chain the oracle writes to.
 *
 * @param rpcUrl JSON-RPC endpoint
 * @param id chain id used to sign transactions (EIP-155); checked against the node
 * @param requestTimeout read timeout of one RPC call (a whole JSON-RPC batch counts as one)
 * @param readBatchSize most {@code eth_call} reads sent in one JSON-RPC batch; 1 turns batching off
 *     for endpoints that refuse batches
 */
@ConfigurationProperties("rbtc.chain")
public record ChainProperties(
    @DefaultValue("http://127.0.0.1:18545") URI rpcUrl,
    @DefaultValue("31337") long id,
    @DefaultValue("10s") Duration requestTimeout,
    @DefaultValue("200") int readBatchSize) {

  public ChainProperties {
    if (id <= 0) {
      throw new IllegalArgumentException("rbtc.chain.id must be positive, was " + id);
    }
    if (readBatchSize < 1 || readBatchSize > 1000) {
      throw new IllegalArgumentException(
          "rbtc.chain.read-batch-size must be 1..1000, was " + readBatchSize);
    }
  }
}
