package com.reservebtc.gateway.projection;

import com.reservebtc.chainconsumer.Batch;
import com.reservebtc.chainconsumer.HeightChange;
import com.reservebtc.chainconsumer.Heights;
import com.reservebtc.gateway.api.TransactionRow;
import com.reservebtc.gateway.stream.StreamEvent;
import com.reservebtc.schemas.avro.BlockMarkerKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The {@code finality} stream events of a batch whose markers moved a chain's CONFIRMED or
 * FINALIZED height (up, or down after a reorg): one per stored log whose label changed, to its user
 * and counterparty, and a {@code dispute} event per dispute whose label changed. Rows the batch
 * itself applied are left out: their own events already carry the new label.
 */
@Component
class FinalityEvents {

  private final TransactionStore transactions;
  private final DisputeProjection disputes;

  FinalityEvents(TransactionStore transactions, DisputeProjection disputes) {
    this.transactions = transactions;
    this.disputes = disputes;
  }

  List<StreamEvent> apply(Batch batch, Set<String> appliedEventIds) {
    // per chain: the heights before the batch's markers, and the block range they moved over
    Map<Long, Heights> before = new LinkedHashMap<>();
    Map<Long, long[]> ranges = new LinkedHashMap<>();
    Set<String> seenKinds = new HashSet<>();
    for (HeightChange change : batch.heightChanges()) {
      if (change.kind() != BlockMarkerKind.CONFIRMED
          && change.kind() != BlockMarkerKind.FINALIZED) {
        continue;
      }
      long chain = change.chainId();
      Heights known = before.getOrDefault(chain, batch.heightsOf(chain));
      if (seenKinds.add(chain + ":" + change.kind())) {
        // the first change of this kind starts from the height before the batch
        known =
            change.kind() == BlockMarkerKind.CONFIRMED
                ? new Heights(chain, known.head(), change.from(), known.finalized())
                : new Heights(chain, known.head(), known.confirmed(), change.from());
      }
      before.put(chain, known);
      long from = change.from() == null ? -1 : change.from();
      long[] range = {Math.min(from, change.to()), Math.max(from, change.to())};
      ranges.merge(chain, range, (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
    }
    List<StreamEvent> events = new ArrayList<>();
    for (Map.Entry<Long, long[]> range : ranges.entrySet()) {
      long chain = range.getKey();
      Heights was = before.get(chain);
      Heights now = batch.heightsOf(chain);
      for (TransactionRow row :
          transactions.inBlocks(
              chain, range.getValue()[0], range.getValue()[1], batch::heightsOf)) {
        if (appliedEventIds.contains(row.eventId())
            || was.finalityOf(row.blockNumber()) == now.finalityOf(row.blockNumber())) {
          continue;
        }
        events.addAll(
            ChainLogProjection.streamEvents(StreamEvent.FINALITY, row, row.finality().name()));
      }
      for (DisputeProjection.DisputeRow dispute :
          disputes.inBlocks(chain, range.getValue()[0], range.getValue()[1])) {
        if (appliedEventIds.contains(dispute.eventId())
            || was.finalityOf(dispute.blockNumber()) == now.finalityOf(dispute.blockNumber())) {
          continue;
        }
        events.add(dispute.event("open", now.finalityOf(dispute.blockNumber()).name()));
      }
    }
    return events;
  }
}
