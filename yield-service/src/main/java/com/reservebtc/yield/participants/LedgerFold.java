package com.reservebtc.yield.participants;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A user's participant state, folded over their ledger entries in chain order: a pure function of
 * the entries and the pool rate in force before each, so it does not matter in which order (or in
 * which batches, threads or replicas) the events were consumed.
 *
 * <p>Before a participant's base changes, the period since its last accrual is settled at the pool
 * rate in force before the change and the multiplier of the tier reached then (as the contract
 * does). Not guaranteed: that the accrued yield equals the contract's, which settles at the moments
 * the pool is called, not at token events.
 */
final class LedgerFold {

  private LedgerFold() {}

  /** An entry with the pool rate in force just before it (basis points). */
  record Input(LedgerEntry entry, int rateBps) {}

  /**
   * What one entry did.
   *
   * @param after the participant after the entry; null while the user is no participant
   * @param multiplierPct the loyalty multiplier of the settlement, 0 if nothing was settled
   * @param elapsedSeconds the settled period
   * @param owed the yield the period added
   */
  record Step(
      LedgerEntry entry,
      int rateBps,
      Participant after,
      int multiplierPct,
      long elapsedSeconds,
      BigInteger owed) {}

  /**
   * Folds {@code inputs} (one user's, in chain order) onto {@code start}, the state after the
   * user's entries before them (null: none made the user a participant).
   */
  static List<Step> fold(Participant start, List<Input> inputs) {
    List<Step> steps = new ArrayList<>(inputs.size());
    Participant state = start;
    for (Input input : inputs) {
      LedgerEntry e = input.entry();
      if (state == null && !e.kind().creates()) {
        steps.add(new Step(e, input.rateBps(), null, 0, 0, BigInteger.ZERO));
        continue;
      }
      if (state == null) {
        state = Participant.fresh(e.user(), e.time());
      }
      if (!e.kind().changes()) {
        steps.add(new Step(e, input.rateBps(), state, 0, 0, BigInteger.ZERO));
        continue;
      }
      Position.Accrual accrual =
          state.position().accrueTo(e.time(), BigInteger.valueOf(input.rateBps()));
      state = apply(state.withPosition(accrual.after()), e);
      state = state.after(e.eventId(), e.time(), e.chainId(), e.blockNumber());
      steps.add(
          new Step(
              e,
              input.rateBps(),
              state,
              accrual.elapsedSeconds() > 0 ? accrual.multiplierPct() : 0,
              accrual.elapsedSeconds(),
              accrual.owed()));
    }
    return steps;
  }

  private static Participant apply(Participant p, LedgerEntry e) {
    return switch (e.kind()) {
      case MINT, BURN -> p.withBalance(Math.addExact(p.rbtcBalanceSats(), e.supplyDelta()));
      case AGGREGATOR_BURN ->
          p.participantType() == Participant.BITCOIN_HOLDER ? p.withContribution(0) : p;
      case JOINED -> p.joinedOnChain(e.participantType(), e.time(), e.amount().longValueExact());
      case CLAIMED -> p.withAccruedYield(p.accruedYield().subtract(e.amount()));
      case POOL_BURN, DISPUTED -> p;
    };
  }
}
