package com.reservebtc.chainconsumer;

import com.reservebtc.chainconsumer.ChainChange.Kind;
import com.reservebtc.schemas.EventIds;
import com.reservebtc.schemas.avro.ChainLogRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code chain_publications}: the inbox of chain events, per publication rather than per content.
 *
 * <p>Every publication of one event identity (its records and its retractions) is on one topic and
 * one partition, in publication order — the indexer keys them alike — so the offset orders them.
 * For each event the inbox keeps the offset of the last publication applied and its state (applied
 * from block B, or retracted). A publication whose offset is not above it changes nothing (a
 * redelivery, or an older copy such as a replayed dead letter); a newer one moves the event: not
 * applied → APPLY; applied from B and a retraction of B → RETRACT; applied from B and a record of
 * another block → REPLACE; a retraction of a block it is not applied from, or a record of the block
 * it is applied from, changes nothing but is remembered. So applied(A) → retracted(A) → applied(A)
 * applies A again, which an inbox of content ids would have taken for a duplicate.
 */
final class PublicationInbox {

  private final JdbcClient jdbc;

  PublicationInbox(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * The effective changes of {@code records} (chain events, in consumption order per partition),
   * recording their publications in the caller's transaction.
   */
  List<ChainChange> classify(List<Consumed> records) {
    if (records.isEmpty()) {
      return List.of();
    }
    Map<Key, State> states = load(records);
    Map<Key, State> changed = new LinkedHashMap<>();
    List<ChainChange> changes = new ArrayList<>();
    for (Consumed record : records) {
      ChainLogRef log = ChainRecords.logOf(record.value());
      String eventId = EventIds.of(log);
      Key key = new Key(record.topic(), eventId);
      State state = states.get(key);
      if (state != null && state.offset() >= record.offset()) {
        continue;
      }
      boolean applied = state != null && !state.retracted();
      if (log.getRetracted()) {
        if (applied && state.blockHash().equals(log.getBlockHash())) {
          changes.add(new ChainChange(Kind.RETRACT, record, log, eventId, null));
        }
      } else if (!applied) {
        changes.add(new ChainChange(Kind.APPLY, record, log, eventId, null));
      } else if (!state.blockHash().equals(log.getBlockHash())) {
        changes.add(new ChainChange(Kind.REPLACE, record, log, eventId, state.blockHash()));
      }
      State next =
          new State(
              record.partition(),
              record.offset(),
              log.getBlockNumber(),
              log.getBlockHash(),
              log.getRetracted());
      states.put(key, next);
      changed.put(key, next);
    }
    save(changed);
    return changes;
  }

  private Map<Key, State> load(List<Consumed> records) {
    List<String> topics = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (Consumed record : records) {
      topics.add(record.topic());
      ids.add(EventIds.of(ChainRecords.logOf(record.value())));
    }
    Map<Key, State> states = new HashMap<>();
    jdbc.sql(
            """
            select p.topic, p.event_id, p.partition, p.publication_offset, p.block_number,
                   p.block_hash, p.retracted
            from chain_publications p
            join (select distinct * from unnest(:topics::text[], :ids::text[])) as w(topic, event_id)
              on w.topic = p.topic and w.event_id = p.event_id
            """)
        .param("topics", topics.toArray(String[]::new))
        .param("ids", ids.toArray(String[]::new))
        .query(
            rs -> {
              states.put(
                  new Key(rs.getString(1), rs.getString(2)),
                  new State(
                      rs.getInt(3),
                      rs.getLong(4),
                      rs.getLong(5),
                      rs.getString(6),
                      rs.getBoolean(7)));
            });
    return states;
  }

  private void save(Map<Key, State> changed) {
    if (changed.isEmpty()) {
      return;
    }
    int n = changed.size();
    String[] topics = new String[n];
    String[] ids = new String[n];
    Integer[] partitions = new Integer[n];
    Long[] offsets = new Long[n];
    Long[] blocks = new Long[n];
    String[] hashes = new String[n];
    Boolean[] retracted = new Boolean[n];
    int i = 0;
    for (Map.Entry<Key, State> entry : changed.entrySet()) {
      topics[i] = entry.getKey().topic();
      ids[i] = entry.getKey().eventId();
      partitions[i] = entry.getValue().partition();
      offsets[i] = entry.getValue().offset();
      blocks[i] = entry.getValue().blockNumber();
      hashes[i] = entry.getValue().blockHash();
      retracted[i] = entry.getValue().retracted();
      i++;
    }
    jdbc.sql(
            """
            insert into chain_publications as p (topic, event_id, partition, publication_offset,
                block_number, block_hash, retracted)
            select * from unnest(:topics::text[], :ids::text[], :partitions::int[],
                :offsets::bigint[], :blocks::bigint[], :hashes::text[], :retracted::boolean[])
            on conflict (topic, event_id) do update set
                partition = excluded.partition,
                publication_offset = excluded.publication_offset,
                block_number = excluded.block_number,
                block_hash = excluded.block_hash,
                retracted = excluded.retracted
            where p.publication_offset < excluded.publication_offset
            """)
        .param("topics", topics)
        .param("ids", ids)
        .param("partitions", partitions)
        .param("offsets", offsets)
        .param("blocks", blocks)
        .param("hashes", hashes)
        .param("retracted", retracted)
        .update();
  }

  private record Key(String topic, String eventId) {}

  private record State(
      int partition, long offset, long blockNumber, String blockHash, boolean retracted) {}
}
