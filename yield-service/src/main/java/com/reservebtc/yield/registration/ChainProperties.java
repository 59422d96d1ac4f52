package com.reservebtc.yield.registration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The EVM chain the pool lives on; used only when automatic registration is enabled.
 *
 * @param rpcUrl JSON-RPC endpoint
 * @param chainId chain id signed into every transaction (EIP-155)
 */
@ConfigurationProperties("rbtc.chain")
public record ChainProperties(
    @DefaultValue("http://127.0.0.1:18545") String rpcUrl, @DefaultValue("31337") long chainId) {}
