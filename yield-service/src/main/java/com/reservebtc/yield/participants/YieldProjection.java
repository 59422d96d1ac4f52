package com.reservebtc.yield.participants;

import com.reservebtc.chainconsumer.Batch;
import com.reservebtc.chainconsumer.ChainChange;
import com.reservebtc.chainconsumer.Projection;
import com.reservebtc.yield.scales.ScalesStateRepository;
import com.reservebtc.yield.scales.SupplyFold;
import java.util.ArrayList;
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
 * they were consumed in. Each batch (1) stores, moves or deletes the batch's events in {@code
 * yield_ledger} and {@code yield_scales_state}; (2) per chain, refolds the rBTC-SYNTH supply, its
 * peak and the pool rate from the earliest place the batch changed; (3) refolds every user whose
 * entries changed or whose rates moved, from that user's earliest such entry, starting from the
 * state stored on the entry before it; (4) writes the participants whose state changed, publishes
 * their states through the outbox and queues newly eligible holders for registration. An event
 * consumed late (another partition, a lagging thread or replica) therefore corrects everything
 * after it. Each step is a constant number of SQL statements, not one per record. No finality is
 * stored: it is read from {@code chain_heights} by block number. Batches that change the ledger
 * apply one at a time under the {@link LedgerLock}, so each refold sees the rows every earlier
 * batch committed, in whichever order threads or replicas reach it.
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
    ledger.insert(entries);
    for (LedgerEntry entry : entries) {
      touch(chainStarts, userStarts, entry.user(), entry.position());
    }
    for (ChainPosition start : chainStarts.values()) {
      refoldSupply(start, userStarts);
    }
    refoldUsers(userStarts);
  }

  private static void touch(
      Map<Long, ChainPosition> chainStarts,
      Map<String, ChainPosition> userStarts,
      String user,
      ChainPosition position) {
    chainStarts.merge(position.chainId(), position, ChainPosition::min);
    userStarts.merge(user, position, ChainPosition::min);
  }

  /** Supply, peak and rate of the chain's entries from {@code start}; users whose rate moved. */
  private void refoldSupply(ChainPosition start, Map<String, ChainPosition> userStarts) {
    long[] before = ledger.supplyBefore(start);
    SupplyFold supply = new SupplyFold(before[0], before[1]);
    List<LedgerRepository.SupplyUpdate> updates = new ArrayList<>();
    for (LedgerRepository.SupplyRow row : ledger.chainFrom(start)) {
      int rate = supply.rateBps();
      Long supplyAfter = null;
      Long peakAfter = null;
      if (row.movesSupply()) {
        supply.move(row.delta());
        supplyAfter = supply.supply();
        peakAfter = supply.peak();
      }
      boolean rateMoved = row.rateBps() == null || row.rateBps() != rate;
      if (rateMoved
          || !Objects.equals(row.supplyAfter(), supplyAfter)
          || !Objects.equals(row.peakAfter(), peakAfter)) {
        updates.add(new LedgerRepository.SupplyUpdate(row.eventId(), rate, supplyAfter, peakAfter));
      }
      if (rateMoved) {
        userStarts.merge(row.user(), row.position(), ChainPosition::min);
      }
    }
    ledger.updateSupply(updates);
  }

  private void refoldUsers(Map<String, ChainPosition> userStarts) {
    if (userStarts.isEmpty()) {
      return;
    }
    Map<String, Participant> starts = ledger.statesBefore(userStarts);
    Map<String, List<LedgerFold.Input>> inputs = ledger.entriesFrom(userStarts);
    Map<String, Participant> stored = ledger.participants(userStarts.keySet());
    List<LedgerFold.Step> steps = new ArrayList<>();
    List<Participant> changed = new ArrayList<>();
    Set<String> gone = new HashSet<>();
    for (String user : userStarts.keySet()) {
      Participant state = starts.get(user);
      List<LedgerFold.Step> folded = LedgerFold.fold(state, inputs.getOrDefault(user, List.of()));
      steps.addAll(folded);
      for (LedgerFold.Step step : folded) {
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
    ledger.updateSteps(steps);
    ledger.upsert(changed);
    ledger.delete(gone);
    registrations.queueEligible(changed);
    states.changed(changed, gone.stream().map(stored::get).toList());
  }
}
