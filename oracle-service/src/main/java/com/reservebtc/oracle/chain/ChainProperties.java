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
 * @param requestTimeout read timeout of one RPC call
 */
@ConfigurationProperties("rbtc.chain")
public record ChainProperties(
    @DefaultValue("http://127.0.0.1:18545") URI rpcUrl,
    @DefaultValue("31337") long id,
    @DefaultValue("10s") Duration requestTimeout) {

  public ChainProperties {
    if (id <= 0) {
      throw new IllegalArgumentException("rbtc.chain.id must be positive, was " + id);
    }
  }
}
