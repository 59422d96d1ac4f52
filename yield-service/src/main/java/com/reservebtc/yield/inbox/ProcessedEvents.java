package com.reservebtc.yield.inbox;

import com.reservebtc.schemas.EventIds;
import com.reservebtc.schemas.avro.ChainLogRef;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The inbox: decides whether a chain record still has to be applied (or undone) and records that
 * decision in {@code processed_events}. It must run inside the caller's database transaction so the
 * decision commits or rolls back together with the effect; it refuses to run without one.
 *
 * <p>An applied event is stored under its event id, its retraction under {@code
 * <eventId>:retracted}, each with the block hash it was seen in. That makes redelivery a no-op
 * while still letting a log that was orphaned and then re-mined in another block apply again. Not
 * covered: a redelivery of an old retraction after the same log went through two reorgs and came
 * back in the very block it was first retracted from.
 */
@Component
public class ProcessedEvents {

  private static final String RETRACTED_SUFFIX = ":retracted";

  private final JdbcClient jdbc;

  ProcessedEvents(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Claims the record: {@code true} when the caller must apply it (or undo it, for a retraction),
   * {@code false} when it was already handled.
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public boolean claim(ChainLogRef log, String topic) {
    String eventId = EventIds.of(log);
    String blockHash = log.getBlockHash();
    Optional<String> applied = blockHashOf(eventId);
    Optional<String> retracted = blockHashOf(eventId + RETRACTED_SUFFIX);
    if (log.getRetracted()) {
      boolean undo =
          applied.isPresent()
              && applied.get().equals(blockHash)
              && !retracted.map(blockHash::equals).orElse(false);
      if (undo) {
        upsert(eventId + RETRACTED_SUFFIX, topic, blockHash);
      }
      return undo;
    }
    if (applied.isEmpty()) {
      upsert(eventId, topic, blockHash);
      return true;
    }
    boolean remined =
        retracted.isPresent()
            && retracted.get().equals(applied.get())
            && !applied.get().equals(blockHash);
    if (remined) {
      upsert(eventId, topic, blockHash);
    }
    return remined;
  }

  private Optional<String> blockHashOf(String key) {
    return jdbc.sql("select block_hash from processed_events where event_id = ?")
        .param(key)
        .query(String.class)
        .optional();
  }

  private void upsert(String key, String topic, String blockHash) {
    jdbc.sql(
            """
            insert into processed_events (event_id, topic, block_hash, processed_at)
            values (?, ?, ?, now())
            on conflict (event_id) do update
              set topic = excluded.topic, block_hash = excluded.block_hash, processed_at = now()
            """)
        .params(key, topic, blockHash)
        .update();
  }
}
