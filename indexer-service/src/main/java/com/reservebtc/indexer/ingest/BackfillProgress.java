package com.reservebtc.indexer.ingest;

import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs catch-up progress every {@code interval} while the indexer is behind: where it is, blocks
 * and logs per second since the last line, and when it should reach the head at that pace. Silent
 * once caught up. Only the ingest thread calls it.
 */
final class BackfillProgress {

  private static final Logger log = LoggerFactory.getLogger(BackfillProgress.class);

  private final long chainId;
  private final long intervalNanos;
  private long windowStartNanos = System.nanoTime();
  private long blocks;
  private long records;
  private long logs;
  private boolean behind;

  BackfillProgress(long chainId, Duration interval) {
    this.chainId = chainId;
    this.intervalNanos = interval.toNanos();
  }

  /** Called after every commit. */
  void committed(long tip, long head, long newBlocks, long newRecords, long newLogs) {
    long now = System.nanoTime();
    blocks += newBlocks;
    records += newRecords;
    logs += newLogs;
    long elapsed = now - windowStartNanos;
    if (elapsed < intervalNanos) {
      return;
    }
    long remaining = Math.max(0, head - tip);
    if (remaining > 1) {
      double seconds = elapsed / 1e9;
      double blocksPerSecond = blocks / seconds;
      String eta = blocksPerSecond > 0 ? duration((long) (remaining / blocksPerSecond)) : "unknown";
      log.info(
          String.format(
              Locale.ROOT,
              "Catching up chain %d: block %d of %d (%d behind), %.0f blocks/s, %.0f logs/s,"
                  + " %.0f records/s, ETA %s",
              chainId,
              tip,
              head,
              remaining,
              blocksPerSecond,
              logs / seconds,
              records / seconds,
              eta));
      behind = true;
    } else if (behind) {
      log.info("Chain {} caught up with the head at block {}", chainId, tip);
      behind = false;
    }
    windowStartNanos = now;
    blocks = 0;
    records = 0;
    logs = 0;
  }

  private static String duration(long seconds) {
    return String.format(
        Locale.ROOT, "%d:%02d:%02d", seconds / 3600, (seconds / 60) % 60, seconds % 60);
  }
}
