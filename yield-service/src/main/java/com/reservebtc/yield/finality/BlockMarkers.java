package com.reservebtc.yield.finality;

import com.reservebtc.schemas.avro.BlockMarker;
import com.reservebtc.schemas.avro.Finality;
import com.reservebtc.yield.kafka.MalformedEventException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Applies CONFIRMED and FINALIZED block markers: raises the chain's height in {@code
 * chain_finality} and, in the same transaction, the finality of every stored log at or below it.
 * Idempotent: a marker that does not raise the height (redelivered, or older than one already
 * applied) changes nothing.
 *
 * <p>HEAD and RETRACTED markers change nothing: orphaned logs arrive as retractions on their own
 * topics. Heights never go down, so a reorg deeper than the indexer's confirmation depth (which the
 * indexer reports as a misconfiguration) leaves re-mined logs at those heights marked confirmed.
 */
@Service
class BlockMarkers {

  private static final Logger log = LoggerFactory.getLogger(BlockMarkers.class);

  private final ChainFinality heights;
  private final List<FinalityUpgrade> tables;

  BlockMarkers(ChainFinality heights, List<FinalityUpgrade> tables) {
    this.heights = heights;
    this.tables = tables;
  }

  /** Returns whether the marker raised a height. */
  @Transactional
  boolean apply(BlockMarker marker) {
    if (marker.getChainId() <= 0 || marker.getBlockNumber() < 0) {
      throw new MalformedEventException(
          "invalid block marker: chain "
              + marker.getChainId()
              + " block "
              + marker.getBlockNumber());
    }
    Finality target =
        switch (marker.getKind()) {
          case CONFIRMED -> Finality.CONFIRMED;
          case FINALIZED -> Finality.FINALIZED;
          case HEAD, RETRACTED -> null;
        };
    if (target == null || !heights.advance(marker.getChainId(), target, marker.getBlockNumber())) {
      return false;
    }
    int upgraded = 0;
    for (FinalityUpgrade table : tables) {
      upgraded += table.upgradeFinality(marker.getChainId(), marker.getBlockNumber(), target);
    }
    log.debug(
        "chain {} {} through block {}: {} rows upgraded",
        marker.getChainId(),
        target,
        marker.getBlockNumber(),
        upgraded);
    return true;
  }
}
