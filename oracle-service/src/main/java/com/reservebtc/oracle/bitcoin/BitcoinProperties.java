package com.reservebtc.oracle.bitcoin;

import com.reservebtc.oracle.ownership.BtcNetwork;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where Bitcoin balances come from and how strictly they are read. Defaults are documented in
 * application.yml.
 *
 * @param esploraUrls every source; all must answer and agree at the same tip
 * @param network the network whose addresses are accepted
 * @param minConfirmations outputs with fewer confirmations do not count (at least 1: mempool
 *     outputs never count)
 * @param connectTimeout TCP connect timeout per request
 * @param requestTimeout whole-request timeout; a slower answer is a failed observation
 * @param maxConcurrentRequests parallel requests per cycle across all sources
 * @param rateLimitRetries how often a 429 answer is retried (after its Retry-After) before the
 *     request fails
 * @param maxRetryAfter the longest Retry-After honoured; longer ones fail the request at once
 */
@ConfigurationProperties("rbtc.bitcoin")
public record BitcoinProperties(
    @DefaultValue("http://127.0.0.1:13002") List<URI> esploraUrls,
    @DefaultValue("regtest") BtcNetwork network,
    @DefaultValue("1") int minConfirmations,
    @DefaultValue("2s") Duration connectTimeout,
    @DefaultValue("5s") Duration requestTimeout,
    @DefaultValue("8") int maxConcurrentRequests,
    @DefaultValue("2") int rateLimitRetries,
    @DefaultValue("5s") Duration maxRetryAfter) {

  public BitcoinProperties {
    if (esploraUrls == null || esploraUrls.isEmpty()) {
      throw new IllegalArgumentException("rbtc.bitcoin.esplora-urls needs at least one URL");
    }
    esploraUrls = List.copyOf(esploraUrls);
    if (minConfirmations < 1) {
      throw new IllegalArgumentException(
          "rbtc.bitcoin.min-confirmations must be at least 1, was " + minConfirmations);
    }
    if (maxConcurrentRequests < 1) {
      throw new IllegalArgumentException("rbtc.bitcoin.max-concurrent-requests must be >= 1");
    }
    if (rateLimitRetries < 0) {
      throw new IllegalArgumentException("rbtc.bitcoin.rate-limit-retries must be >= 0");
    }
  }
}
