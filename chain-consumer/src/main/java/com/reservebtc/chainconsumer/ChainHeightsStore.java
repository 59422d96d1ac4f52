package com.reservebtc.chainconsumer;

import com.reservebtc.schemas.avro.BlockMarker;
import com.reservebtc.schemas.avro.BlockMarkerKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code chain_heights}: per chain the latest head, confirmed and finalized heights the markers
 * stated — the latest marker of each kind in topic order, so a height goes down when the indexer
 * lowers it after a reorg. RETRACTED markers change no height (the indexer follows them with the
 * lowered CONFIRMED / FINALIZED markers; orphaned logs arrive as retractions on their own topics).
 *
 * <p>A batch with markers takes its chains' rows for update ({@link #lock}) for its whole
 * transaction. Other batches read the heights without a lock ({@link #read}); one that labels
 * something with finality that must agree with concurrent height changes (e.g. a stream event)
 * takes the rows for share just before it labels ({@link #lock} with {@code forUpdate} false): then
 * either it labels after a concurrent height change committed, or the height change runs after the
 * labelling batch committed and sees its rows.
 */
final class ChainHeightsStore {

  private final JdbcClient jdbc;

  ChainHeightsStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * The chains' heights as committed now (no lock; unknown chains are absent). A chain without a
   * row gets an empty one, as {@link #lock} would give it: so every chain a service has seen has a
   * row, whichever batches its records came in (a rebuild gives the same table).
   */
  Map<Long, Heights> read(Collection<Long> chains) {
    Map<Long, Heights> heights = new HashMap<>();
    if (chains.isEmpty()) {
      return heights;
    }
    jdbc.sql(
            "with created as (insert into chain_heights (chain_id)"
                + " select unnest(:ids::bigint[]) on conflict (chain_id) do nothing)"
                + " select chain_id, head_block, confirmed_block, finalized_block from chain_heights"
                + " where chain_id = any(:ids::bigint[])")
        .param("ids", new TreeSet<>(chains).toArray(Long[]::new))
        .query(
            rs -> {
              long chain = rs.getLong(1);
              heights.put(
                  chain,
                  new Heights(
                      chain,
                      (Long) rs.getObject(2),
                      (Long) rs.getObject(3),
                      (Long) rs.getObject(4)));
            });
    return heights;
  }

  /** Creates missing rows, then locks {@code chains}' rows in chain id order. */
  Map<Long, Heights> lock(Collection<Long> chains, boolean forUpdate) {
    Map<Long, Heights> heights = new HashMap<>();
    if (chains.isEmpty()) {
      return heights;
    }
    Set<Long> ordered = new TreeSet<>(chains);
    Long[] ids = ordered.toArray(Long[]::new);
    jdbc.sql(
            "insert into chain_heights (chain_id) select unnest(:ids::bigint[])"
                + " on conflict (chain_id) do nothing")
        .param("ids", ids)
        .update();
    jdbc.sql(
            "select chain_id, head_block, confirmed_block, finalized_block from chain_heights"
                + " where chain_id = any(:ids::bigint[]) order by chain_id"
                + (forUpdate ? " for update" : " for share"))
        .param("ids", ids)
        .query(
            rs -> {
              long chain = rs.getLong(1);
              heights.put(
                  chain,
                  new Heights(
                      chain,
                      (Long) rs.getObject(2),
                      (Long) rs.getObject(3),
                      (Long) rs.getObject(4)));
            });
    return heights;
  }

  /**
   * Applies {@code markers} (in topic order, rows locked for update) to {@code heights}; returns
   * the heights they moved. A marker at an offset not above the chain's last applied marker (a
   * replayed dead letter) moves nothing.
   */
  List<HeightChange> apply(List<Consumed> markers, Map<Long, Heights> heights) {
    List<HeightChange> changes = new ArrayList<>();
    Map<Long, Long> lastOffsets = new HashMap<>();
    if (markers.isEmpty()) {
      return changes;
    }
    jdbc.sql(
            "select chain_id, marker_offset from chain_heights where chain_id = any(:ids::bigint[])")
        .param("ids", heights.keySet().toArray(Long[]::new))
        .query(
            (org.springframework.jdbc.core.RowCallbackHandler)
                rs -> lastOffsets.put(rs.getLong(1), rs.getLong(2)));
    Map<Long, Long> appliedOffsets = new HashMap<>();
    for (Consumed record : markers) {
      BlockMarker marker = (BlockMarker) record.value();
      long chain = marker.getChainId();
      if (record.offset() <= lastOffsets.getOrDefault(chain, -1L)) {
        continue;
      }
      Heights before = heights.getOrDefault(chain, Heights.unknown(chain));
      long block = marker.getBlockNumber();
      Heights after = before;
      Long from = null;
      switch (marker.getKind()) {
        case HEAD -> {
          from = before.head();
          after = new Heights(chain, block, before.confirmed(), before.finalized());
        }
        case CONFIRMED -> {
          from = before.confirmed();
          after = new Heights(chain, before.head(), block, before.finalized());
        }
        case FINALIZED -> {
          from = before.finalized();
          after = new Heights(chain, before.head(), before.confirmed(), block);
        }
        case RETRACTED -> {
          // No height moves: see the class comment.
        }
      }
      if (marker.getKind() != BlockMarkerKind.RETRACTED && (from == null || from != block)) {
        changes.add(new HeightChange(chain, marker.getKind(), from, block));
      }
      heights.put(chain, after);
      lastOffsets.put(chain, record.offset());
      appliedOffsets.put(chain, record.offset());
    }
    for (Map.Entry<Long, Long> applied : appliedOffsets.entrySet()) {
      Heights h = heights.get(applied.getKey());
      jdbc.sql(
              """
              update chain_heights set head_block = :head, confirmed_block = :confirmed,
                  finalized_block = :finalized, marker_offset = :offset, updated_at = now()
              where chain_id = :chain
              """)
          .param("head", h.head(), java.sql.Types.BIGINT)
          .param("confirmed", h.confirmed(), java.sql.Types.BIGINT)
          .param("finalized", h.finalized(), java.sql.Types.BIGINT)
          .param("offset", applied.getValue())
          .param("chain", applied.getKey())
          .update();
    }
    return changes;
  }
}
