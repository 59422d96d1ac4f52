package com.reservebtc.gateway;

import java.net.URI;
import java.time.Duration;
import java.time.Period;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the gateway under {@code rbtc.gateway}. Defaults are the local development values and
 * are documented in application.yml.
 *
 * @param cors which browser origins may call the read API
 * @param sse the server-sent-events stream
 * @param syncStatus how the sync status endpoint judges freshness
 * @param snapshots the periodic balance snapshots and their retention
 * @param cache the short-lived per-address cache of read-model results
 * @param rateLimit per-client request and stream limits
 * @param oracleUrl base URL of the oracle-service, which owns Bitcoin address bindings
 * @param forwarding limits of the write requests the gateway forwards to the owning service
 */
@ConfigurationProperties("rbtc.gateway")
public record GatewayProperties(
    @DefaultValue Cors cors,
    @DefaultValue Sse sse,
    @DefaultValue SyncStatus syncStatus,
    @DefaultValue Snapshots snapshots,
    @DefaultValue Cache cache,
    @DefaultValue RateLimit rateLimit,
    @DefaultValue("http://127.0.0.1:8082") URI oracleUrl,
    @DefaultValue Forwarding forwarding) {

  /**
   * @param allowedOrigins origin patterns allowed to read the API from a browser; empty disables
   *     CORS
   */
  public record Cors(@DefaultValue("*") List<String> allowedOrigins) {}

  /**
   * @param heartbeat interval of the keep-alive comment on idle streams
   * @param bufferSize events buffered for a slow client before its stream is closed (it then
   *     reconnects and re-reads the REST endpoints instead of silently missing events)
   */
  public record Sse(@DefaultValue("15s") Duration heartbeat, @DefaultValue("256") int bufferSize) {}

  /**
   * @param recentWindow a sync older than this is reported as stale
   */
  public record SyncStatus(@DefaultValue("10m") Duration recentWindow) {}

  /**
   * @param cron when the daily per-user balance snapshot is taken (server time zone UTC)
   * @param retention snapshots older than this are deleted by the same job
   */
  public record Snapshots(
      @DefaultValue("0 10 0 * * *") String cron, @DefaultValue("90d") Period retention) {}

  /**
   * @param ttl how long a cached read may be served; the projections of this instance invalidate an
   *     address's entries when they commit a change to it, so the TTL only bounds staleness caused
   *     by other instances writing the same database. 0 disables the cache.
   * @param maxAddresses addresses with cached reads at most; beyond it reads are not cached
   */
  public record Cache(@DefaultValue("5s") Duration ttl, @DefaultValue("100000") int maxAddresses) {}

  /**
   * @param enabled whether requests to {@code /api/**} are limited at all
   * @param requestsPerSecond sustained request rate per client (token refill rate)
   * @param burst requests a client may send at once (token bucket capacity)
   * @param trustedProxies IP addresses or CIDR ranges of reverse proxies whose X-Forwarded-For
   *     header names the client; requests from anywhere else are keyed by their remote address
   * @param maxClients clients tracked at most; when full, new clients share one bucket
   * @param idleEviction how often buckets of clients that have been idle long enough to be full
   *     again are dropped
   * @param streamsPerClient concurrent event streams one client may hold
   * @param maxStreams concurrent event streams of this instance
   */
  public record RateLimit(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("10") double requestsPerSecond,
      @DefaultValue("50") int burst,
      @DefaultValue List<String> trustedProxies,
      @DefaultValue("100000") int maxClients,
      @DefaultValue("60s") Duration idleEviction,
      @DefaultValue("8") int streamsPerClient,
      @DefaultValue("20000") int maxStreams) {

    public RateLimit {
      if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
        throw new IllegalArgumentException(
            "rbtc.gateway.rate-limit.requests-per-second must be a positive number");
      }
      if (burst < 1 || maxClients < 1 || streamsPerClient < 1 || maxStreams < 1) {
        throw new IllegalArgumentException(
            "rbtc.gateway.rate-limit burst, max-clients, streams-per-client and max-streams must"
                + " be at least 1");
      }
    }
  }

  /**
   * @param connectTimeout time to establish the connection to the owning service
   * @param responseTimeout time until the owning service's complete response (binding a new address
   *     may wait for the oracle's fee prepayment transaction)
   * @param maxRequestSize largest request body accepted for forwarding
   * @param maxDiscardedSize a larger body is read and discarded up to this size before the 413 is
   *     sent, so that a client still sending it can read the answer; beyond it the connection is
   *     closed
   * @param maxResponseSize largest response body read from the owning service
   */
  public record Forwarding(
      @DefaultValue("2s") Duration connectTimeout,
      @DefaultValue("30s") Duration responseTimeout,
      @DefaultValue("16KB") DataSize maxRequestSize,
      @DefaultValue("1MB") DataSize maxDiscardedSize,
      @DefaultValue("64KB") DataSize maxResponseSize) {

    public Forwarding {
      if (maxDiscardedSize.compareTo(maxRequestSize) < 0) {
        throw new IllegalArgumentException(
            "rbtc.gateway.forwarding.max-discarded-size must be at least max-request-size");
      }
    }
  }
}
