package com.reservebtc.yield.participants;

import com.reservebtc.chainconsumer.Batch;
import com.reservebtc.chainconsumer.ChainChange;
import com.reservebtc.chainconsumer.Projection;
import com.reservebtc.yield.scales.ScalesStateRepository;
import com.reservebtc.yield.scales.SupplyFold;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The yield-service's read model of the chain, applied one batch per database transaction by the
 * chain-consumer (which also records the inbox of publications and the partitions' positions in
 * it).
 *
 * <p>Guarantees: the tables are a function of which chain events are canonical, never of the order
 * they were consumed in. Each batch (1) deletes the batch's events from {@code yield_ledger} (a
 * retraction, or an event about to be stored from another block) and replaces them in {@code
 * yield_scales_state}; (2) per chain, refolds the rBTC-SYNTH supply, its peak and the pool rate
 * from the earliest place the batch changed, over the stored entries and the batch's new ones; (3)
 * refolds every user whose entries changed or whose rates moved, from that user's earliest such
 * entry, starting from the state stored on the entry before it; (4) inserts the batch's new entries
 * with everything the folds computed, updates the stored entries whose values moved, writes the
 * participants whose state changed, publishes their states through the outbox and queues newly
 * eligible holders for registration. An event consumed late (another partition, a lagging thread or
 * replica) therefore corrects everything after it; a batch after everything stored (a replay, a
 * backfill) writes each ledger row once and updates none. Each step is a constant number of SQL
 * statements, not one per record. No finality is stored: it is read from {@code chain_heights} by
 * block number. Batches that change the ledger apply one at a time under the {@link LedgerLock}, so
 * each refold sees the rows every earlier batch committed, in whichever order threads or replicas
 * reach it.
 *
 * <p>Not guaranteed: cheapness when an event lands far behind the others (everything after it on
 * its chain is refolded in that batch).
 */
@Component
class YieldProjection implements Projection {

  private final JdbcClient jdbc;
  private final LedgerRepository ledger;
  private final ScalesStateRepository scales;
  private final ParticipantStates states;
  private final RegistrationQueue registrations;

  YieldProjection(
      JdbcClient jdbc,
      LedgerRepository ledger,
      ScalesStateRepository scales,
      ParticipantStates states,
      RegistrationQueue registrations) {
    this.jdbc = jdbc;
    this.ledger = ledger;
    this.scales = scales;
    this.states = states;
    this.registrations = registrations;
  }

  @Override
  public void apply(Batch batch) {
    // The last change of each event in the batch is the one that stands.
    Map<String, Optional<ChainFacts.Fact>> last = new LinkedHashMap<>();
    for (ChainChange change : batch.chainChanges()) {
      if (change.kind() == ChainChange.Kind.RETRACT) {
        last.put(change.eventId(), Optional.empty());
      } else {
        ChainFacts.of(change).ifPresent(fact -> last.put(change.eventId(), Optional.of(fact)));
      }
    }
    if (last.isEmpty()) {
      return;
    }
    // Before the first read of the ledger: see LedgerLock.
    LedgerLock.hold(jdbc);
    List<LedgerEntry> entries = new ArrayList<>();
    List<ScalesStateRepository.Row> scaleRows = new ArrayList<>();
    for (Optional<ChainFacts.Fact> fact : last.values()) {
      if (fact.isPresent() && fact.get() instanceof ChainFacts.Entry e) {
        entries.add(e.entry());
      } else if (fact.isPresent() && fact.get() instanceof ChainFacts.Scale s) {
        scaleRows.add(
            new ScalesStateRepository.Row(
                s.eventId(),
                s.kind(),
                s.log().getChainId(),
                s.log().getBlockNumber(),
                s.log().getBlockHash(),
                s.log().getBlockTimestamp(),
                s.totalUsdtVirtual(),
                s.totalRbtcSupply(),
                s.currentYieldRate(),
                s.usdtScale(),
                s.rbtcScale(),
                s.scaleTimestamp()));
      }
    }
    scales.replace(last.keySet(), scaleRows);

    Map<Long, ChainPosition> chainStarts = new TreeMap<>();
    Map<String, ChainPosition> userStarts = new HashMap<>();
    for (LedgerRepository.Removed removed : ledger.remove(last.keySet())) {
      touch(chainStarts, userStarts, removed.user(), removed.position());
    }
    for (LedgerEntry entry : entries) {
      touch(chainStarts, userStarts, entry.user(), entry.position());
    }
    // The batch's entries are folded together with the stored ones after them and then inserted
    // once, with every computed column: a replay (entries after everything stored) writes each
    // ledger row once and updates none.
    Map<String, LedgerRepository.SupplyUpdate> freshSupply = new HashMap<>();
    for (ChainPosition start : chainStarts.values()) {
      refoldSupply(start, entries, userStarts, freshSupply);
    }
    refoldUsers(userStarts, entries, freshSupply);
  }

  private static void touch(
      Map<Long, ChainPosition> chainStarts,
      Map<String, ChainPosition> userStarts,
      String user,
      ChainPosition position) {
    chainStarts.merge(position.chainId(), position, ChainPosition::min);
    userStarts.merge(user, position, ChainPosition::min);
  }

  /**
   * Supply, peak and rate of the chain's entries from {@code start}, the stored ones and the
   * batch's {@code fresh} ones (not stored yet; their values go to {@code freshSupply}); stored
   * rows whose values moved are updated. Adds the users whose rate moved to {@code userStarts}.
   */
  private void refoldSupply(
      ChainPosition start,
      List<LedgerEntry> fresh,
      Map<String, ChainPosition> userStarts,
      Map<String, LedgerRepository.SupplyUpdate> freshSupply) {
    long[] before = ledger.supplyBefore(start);
    SupplyFold supply = new SupplyFold(before[0], before[1]);
    List<LedgerRepository.SupplyRow> rows = new ArrayList<>(ledger.chainFrom(start));
    Set<String> freshIds = new HashSet<>();
    for (LedgerEntry entry : fresh) {
      freshIds.add(entry.eventId());
      if (entry.chainId() == start.chainId()) {
        rows.add(
            new LedgerRepository.SupplyRow(
                entry.eventId(),
                entry.user(),
                entry.position(),
                entry.kind().movesSupply(),
                entry.supplyDelta(),
                null,
                null,
                null));
      }
    }
    rows.sort(Comparator.comparing(LedgerRepository.SupplyRow::position));
    List<LedgerRepository.SupplyUpdate> updates = new ArrayList<>();
    for (LedgerRepository.SupplyRow row : rows) {
      int rate = supply.rateBps();
      Long supplyAfter = null;
      Long peakAfter = null;
      if (row.movesSupply()) {
        supply.move(row.delta());
        supplyAfter = supply.supply();
        peakAfter = supply.peak();
      }
      LedgerRepository.SupplyUpdate values =
          new LedgerRepository.SupplyUpdate(row.eventId(), rate, supplyAfter, peakAfter);
      boolean rateMoved = row.rateBps() == null || row.rateBps() != rate;
      if (freshIds.contains(row.eventId())) {
        freshSupply.put(row.eventId(), values);
      } else if (rateMoved
          || !Objects.equals(row.supplyAfter(), supplyAfter)
          || !Objects.equals(row.peakAfter(), peakAfter)) {
        updates.add(values);
      }
      if (rateMoved) {
        userStarts.merge(row.user(), row.position(), ChainPosition::min);
      }
    }
    ledger.updateSupply(updates);
  }

  /**
   * Refolds every user in {@code userStarts} from there over their stored entries and the batch's
   * {@code fresh} ones, inserts the fresh entries with everything computed, updates the stored ones
   * and writes the participants whose state changed.
   */
  private void refoldUsers(
      Map<String, ChainPosition> userStarts,
      List<LedgerEntry> fresh,
      Map<String, LedgerRepository.SupplyUpdate> freshSupply) {
    if (userStarts.isEmpty()) {
      return;
    }
    Map<String, Participant> starts = ledger.statesBefore(userStarts);
    Map<String, List<LedgerFold.Input>> inputs = ledger.entriesFrom(userStarts);
    for (LedgerEntry entry : fresh) {
      inputs
          .computeIfAbsent(entry.user(), u -> new ArrayList<>())
          .add(new LedgerFold.Input(entry, freshSupply.get(entry.eventId()).rateBps()));
    }
    Map<String, Participant> stored = ledger.participants(userStarts.keySet());
    List<LedgerFold.Step> freshSteps = new ArrayList<>();
    List<LedgerFold.Step> storedSteps = new ArrayList<>();
    List<Participant> changed = new ArrayList<>();
    Set<String> gone = new HashSet<>();
    for (String user : userStarts.keySet()) {
      Participant state = starts.get(user);
      List<LedgerFold.Input> userInputs = inputs.getOrDefault(user, new ArrayList<>());
      userInputs.sort(Comparator.comparing(input -> input.entry().position()));
      for (LedgerFold.Step step : LedgerFold.fold(state, userInputs)) {
        (freshSupply.containsKey(step.entry().eventId()) ? freshSteps : storedSteps).add(step);
        if (step.after() != null) {
          state = step.after();
        }
      }
      Participant before = stored.get(user);
      if (state == null && before != null) {
        gone.add(user);
      } else if (state != null && !state.equals(before)) {
        changed.add(state);
      }
    }
    ledger.insert(freshSteps, freshSupply);
    ledger.updateSteps(storedSteps);
    ledger.upsert(changed);
    ledger.delete(gone);
    registrations.queueEligible(changed);
    states.changed(changed, gone.stream().map(stored::get).toList());
  }
}
