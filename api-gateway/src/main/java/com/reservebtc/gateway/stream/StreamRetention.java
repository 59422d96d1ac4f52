package com.reservebtc.gateway.stream;

import com.reservebtc.gateway.GatewayProperties;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes stream events older than {@code rbtc.gateway.stream.retention}, every {@code
 * retention-interval}, in chunks. Each chunk's statement also raises the low-water mark ({@code
 * stream_retention.deleted_through}) to the highest id it deleted, atomically with the deletion, so
 * a client resuming from an id whose successors may be gone is recognized ({@link StreamBacklog}).
 * Every replica runs it; concurrent runs delete disjoint or already-deleted rows and only ever
 * raise the mark.
 */
@Component
final class StreamRetention {

  private static final Logger log = LoggerFactory.getLogger(StreamRetention.class);

  /** Rows deleted per statement, so one run never holds a huge transaction. */
  static final int CHUNK = 10_000;

  private final JdbcClient jdbc;
  private final long retentionSeconds;

  StreamRetention(JdbcClient jdbc, GatewayProperties properties) {
    this.jdbc = jdbc;
    this.retentionSeconds = properties.stream().retention().toSeconds();
  }

  @Scheduled(
      fixedDelayString = "${rbtc.gateway.stream.retention-interval:5m}",
      initialDelayString = "${rbtc.gateway.stream.retention-interval:5m}",
      timeUnit = TimeUnit.MILLISECONDS)
  void deleteExpired() {
    long deleted = 0;
    int gone;
    do {
      gone = deleteChunk();
      deleted += gone;
    } while (gone == CHUNK);
    if (deleted > 0) {
      log.info("deleted {} stream events older than {} s", deleted, retentionSeconds);
    }
  }

  /** Deletes up to {@link #CHUNK} expired rows and raises the mark; returns how many. */
  int deleteChunk() {
    return jdbc.sql(
            """
            WITH gone AS (
              DELETE FROM stream_events WHERE id IN (
                SELECT id FROM stream_events
                WHERE created_at < now() - make_interval(secs => :seconds)
                LIMIT :chunk)
              RETURNING id),
            mark AS (
              UPDATE stream_retention
              SET deleted_through = greatest(deleted_through, (SELECT max(id) FROM gone))
              WHERE EXISTS (SELECT 1 FROM gone))
            SELECT count(*) FROM gone
            """)
        .param("seconds", (double) retentionSeconds)
        .param("chunk", CHUNK)
        .query(Integer.class)
        .single();
  }
}
