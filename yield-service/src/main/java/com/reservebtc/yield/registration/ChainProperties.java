package com.reservebtc.yield.registration;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The EVM chain the pool lives on; used only when the pool address is configured.
 *
 * @param rpcUrl JSON-RPC endpoint (only its scheme, host and port are ever logged)
 * @param chainId chain id signed into every transaction (EIP-155)
 * @param requestTimeout timeout of one RPC call
 */
@ConfigurationProperties("rbtc.chain")
public record ChainProperties(
    @DefaultValue("http://127.0.0.1:18545") String rpcUrl,
    @DefaultValue("31337") long chainId,
    @DefaultValue("10s") Duration requestTimeout) {}
