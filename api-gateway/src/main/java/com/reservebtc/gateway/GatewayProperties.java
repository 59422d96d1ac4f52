package com.reservebtc.gateway;

import java.time.Duration;
import java.time.Period;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the gateway under {@code rbtc.gateway}. Defaults are the local development values and
 * are documented in application.yml.
 *
 * @param cors which browser origins may call the read API
 * @param sse the server-sent-events stream
 * @param syncStatus how the sync status endpoint judges freshness
 * @param snapshots the periodic balance snapshots and their retention
 * @param deadLetter the bounded retry before a poison record goes to its dead-letter topic
 */
@ConfigurationProperties("rbtc.gateway")
public record GatewayProperties(
    @DefaultValue Cors cors,
    @DefaultValue Sse sse,
    @DefaultValue SyncStatus syncStatus,
    @DefaultValue Snapshots snapshots,
    @DefaultValue DeadLetter deadLetter) {

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
   * @param interval pause between attempts of a failing record
   * @param maxRetries retries after the first attempt before the record is dead-lettered
   */
  public record DeadLetter(
      @DefaultValue("1s") Duration interval, @DefaultValue("4") long maxRetries) {}
}
