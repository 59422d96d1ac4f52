package com.reservebtc.gateway.projection;

import com.reservebtc.gateway.api.TransactionRow;
import com.reservebtc.gateway.api.TxFinality;
import com.reservebtc.gateway.stream.StreamEvent;
import com.reservebtc.schemas.avro.BlockMarker;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Applies block markers: remembers the chain's head, confirmed and finalized heights, and upgrades
 * the finality of every stored log (transactions and balance disputes) at or below a CONFIRMED or
 * FINALIZED marker (never downgrades). Logs that arrive after the marker get their finality from
 * the remembered heights at insert time ({@link TransactionStore#finalityByMarkers}). RETRACTED
 * markers change nothing here: the orphaned logs themselves arrive as retractions on their own
 * topics.
 *
 * <p>Markers bypass the inbox: applying one is idempotent by construction (heights only grow and an
 * upgrade matches no row the second time), and recording every marker of a one-block-per-second
 * chain would grow {@code processed_events} by hundreds of thousands of rows a day.
 */
@Component
class BlockMarkerProjector {

  private static final Logger log = LoggerFactory.getLogger(BlockMarkerProjector.class);

  private final JdbcClient jdbc;
  private final CommittedChanges changes;

  BlockMarkerProjector(JdbcClient jdbc, CommittedChanges changes) {
    this.jdbc = jdbc;
    this.changes = changes;
  }

  Outcome project(BlockMarker marker) {
    if (marker.getChainId() <= 0 || marker.getBlockNumber() < 0) {
      throw new InvalidRecordException(
          "invalid block marker: chain "
              + marker.getChainId()
              + " block "
              + marker.getBlockNumber());
    }
    return switch (marker.getKind()) {
      case HEAD -> {
        advance(marker.getChainId(), "head_block", marker.getBlockNumber());
        yield Outcome.APPLIED;
      }
      case CONFIRMED -> {
        advance(marker.getChainId(), "confirmed_block", marker.getBlockNumber());
        upgrade(marker.getChainId(), marker.getBlockNumber(), TxFinality.CONFIRMED);
        yield Outcome.APPLIED;
      }
      case FINALIZED -> {
        advance(marker.getChainId(), "finalized_block", marker.getBlockNumber());
        upgrade(marker.getChainId(), marker.getBlockNumber(), TxFinality.FINALIZED);
        yield Outcome.APPLIED;
      }
      case RETRACTED -> {
        log.debug(
            "block {} {} retracted on chain {}",
            marker.getBlockNumber(),
            marker.getBlockHash(),
            marker.getChainId());
        yield Outcome.NO_EFFECT;
      }
    };
  }

  private void advance(long chainId, String column, long blockNumber) {
    jdbc.sql(
            "INSERT INTO chain_heads AS h (chain_id, "
                + column
                + ") VALUES (:chain, :block) ON CONFLICT (chain_id) DO UPDATE SET "
                + column
                + " = GREATEST(h."
                + column
                + ", EXCLUDED."
                + column
                + "), updated_at = now()")
        .param("chain", chainId)
        .param("block", blockNumber)
        .update();
  }

  private void upgrade(long chainId, long blockNumber, TxFinality target) {
    List<String> below =
        target == TxFinality.FINALIZED ? List.of("PENDING", "CONFIRMED") : List.of("PENDING");
    List<TransactionRow> upgraded =
        jdbc.sql(
                "UPDATE transactions SET finality = :target WHERE chain_id = :chain"
                    + " AND block_number <= :block AND finality IN (:below) RETURNING *")
            .param("target", target.name())
            .param("chain", chainId)
            .param("block", blockNumber)
            .param("below", below)
            .query(TransactionStore.ROW_MAPPER)
            .list();
    List<StreamEvent> events = new ArrayList<>();
    for (TransactionRow row : upgraded) {
      events.addAll(
          ChainEventProjector.streamEvents(StreamEvent.FINALITY, row, row.finality().name()));
    }
    List<String> disputants =
        jdbc.sql(
                "UPDATE balance_disputes SET finality = :target WHERE chain_id = :chain"
                    + " AND block_number <= :block AND finality IN (:below) RETURNING user_address")
            .param("target", target.name())
            .param("chain", chainId)
            .param("block", blockNumber)
            .param("below", below)
            .query(String.class)
            .list();
    if (!events.isEmpty() || !disputants.isEmpty()) {
      changes.afterCommit(events, disputants);
    }
  }
}
