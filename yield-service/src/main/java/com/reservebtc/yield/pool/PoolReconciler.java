package com.reservebtc.yield.pool;

import com.reservebtc.txsender.SenderException;
import com.reservebtc.txsender.SentTx;
import com.reservebtc.txsender.TransactionSender;
import com.reservebtc.txsender.TxOutcome;
import java.math.BigInteger;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the YieldScalesPool's contribution of every registered Bitcoin holder in step with this
 * service's participant state, by reconciliation: each pass compares the desired contribution (the
 * holder's {@code contribution_sats}, i.e. their rBTC-SYNTH balance) with what the pool holds
 * ({@code participants(user).amount}, read by {@code eth_call}) and sends only the call that closes
 * the difference: {@code emergencyBurn(user, amount)} of what the pool holds when an aggregator
 * emergency burn of the holder (since they joined, not retracted) has not been passed on yet, else
 * {@code updateRBTCContribution(user, desired)} when the amounts differ.
 *
 * <p>Why reconciliation rather than a call per event: the calls are derived from two states, not
 * from a stream, so a replayed or redelivered event, a reorg (which changes the participant state
 * back) or a crash cannot make the pool apply a change twice — the next pass just finds the pool in
 * step, or sends the one absolute update that is still missing. {@code updateRBTCContribution} sets
 * an absolute amount; {@code emergencyBurn} is sent at most once per aggregator burn (the burn is
 * marked passed on only when its transaction was mined) and removes what the pool holds then.
 *
 * <p>Guarantees: with the pool oracle key (confirmed to be the pool's oracle), every call goes
 * through the key's {@link TransactionSender}, each version recorded on the holder's row before it
 * is broadcast; a transaction in flight (also one found after a restart) is resolved — and replaced
 * if stuck — before anything else is sent, and while one stays pending nothing new is sent. Without
 * the key nothing is sent: the desired and on-chain amounts and the call that would fix them are
 * recorded with their times ({@link PoolStatus}). One log line per change of a holder's pending
 * call, not per pass.
 *
 * <p>Not guaranteed: that the pool follows the balance instantly (a pass runs every {@code
 * rbtc.yield.pool-sync.interval}), nor that it ignores unconfirmed blocks: the state may include
 * logs a reorg later removes, and the pool then follows the state back. A change made to the pool
 * by another holder of the key (e.g. an accepted dispute) is undone at the next check.
 */
@Component
class PoolReconciler {

  private static final Logger log = LoggerFactory.getLogger(PoolReconciler.class);

  private final PoolAccess access;
  private final PoolContributionRepository contributions;
  private final PoolSyncProperties properties;
  private String lastProblem;

  PoolReconciler(
      PoolAccess access, PoolContributionRepository contributions, PoolSyncProperties properties) {
    this.access = access;
    this.contributions = contributions;
    this.properties = properties;
  }

  @Scheduled(fixedDelayString = "${rbtc.yield.pool-sync.interval:5s}")
  void reconcile() {
    Optional<PoolClient> pool = access.pool();
    if (pool.isEmpty()) {
      return;
    }
    Optional<TransactionSender> sender = access.sender();
    try {
      if (sender.isPresent() && !resolveInFlight(sender.get())) {
        problem("a pool transaction is still pending; nothing new is sent until it is mined");
        return;
      }
      for (PoolContributionRepository.Candidate candidate :
          contributions.candidates(properties.batchSize(), properties.recheckAfter())) {
        if (!reconcile(pool.get(), sender, candidate)) {
          return;
        }
      }
      recovered();
    } catch (PoolReadException | SenderException e) {
      problem(e.getMessage());
    }
  }

  /**
   * Resolves pool transactions recorded before a crash or left pending by an earlier pass.
   *
   * @return false if one is still pending
   */
  private boolean resolveInFlight(TransactionSender sender) throws SenderException {
    for (PoolContributionRepository.InFlight tx : contributions.inFlight()) {
      PoolCall call = callOf(tx);
      Optional<SentTx> pending = sender.resume(tx.hashes());
      TxOutcome outcome =
          pending.isPresent()
              ? sender.await(pending.get(), v -> contributions.sending(tx.user(), v, call))
              : sender.outcome(tx.hashes());
      if (!settle(tx.user(), call, outcome)) {
        return false;
      }
    }
    return true;
  }

  /**
   * @return false if sending must stop for this pass
   */
  private boolean reconcile(
      PoolClient pool, Optional<TransactionSender> sender, PoolContributionRepository.Candidate c)
      throws PoolReadException {
    PoolPosition position = pool.position(c.user());
    if (!position.active()) {
      record(c, null, null, "not a participant of the pool on chain");
      return true;
    }
    if (position.participantType() != 0) {
      record(c, position.amount(), null, "a trader on chain: its base is not an rBTC balance");
      return true;
    }
    if (c.burnDue() && position.amount().signum() == 0) {
      // Nothing left in the pool to remove: the burn needs no call.
      contributions.burnHandled(c.user(), c.burnEventId());
      c = c.burnHandled();
    }
    PoolCall call = callFor(c, position);
    if (call == null) {
      record(c, position.amount(), null, null);
      return true;
    }
    if (sender.isEmpty()) {
      record(
          c,
          position.amount(),
          call,
          access.problem().orElse("no pool oracle key (RBTC_YIELD_POOL_ORACLE_KEY): not sent"));
      return true;
    }
    record(c, position.amount(), call, null);
    return send(sender.get(), pool, call);
  }

  /** The call that brings the pool in step, or null if it is. */
  private static PoolCall callFor(PoolContributionRepository.Candidate c, PoolPosition position) {
    if (c.burnDue()) {
      return new PoolCall.EmergencyBurn(c.user(), position.amount(), c.burnEventId());
    }
    if (position.amount().compareTo(BigInteger.valueOf(c.desiredSats())) != 0) {
      return new PoolCall.Update(c.user(), c.desiredSats());
    }
    return null;
  }

  private boolean send(TransactionSender sender, PoolClient pool, PoolCall call) {
    String user = call.user();
    SentTx tx;
    try {
      tx = sender.send(pool.call(call), v -> contributions.sending(user, v, call));
    } catch (SenderException e) {
      if (e.category() == SenderException.Category.UNKNOWN_OUTCOME) {
        // Recorded before broadcast: the next pass resolves it by its hashes.
        problem(e.getMessage());
        return false;
      }
      // Not broadcast: nothing is in flight.
      contributions.settled(user, null, null, e.getMessage());
      if (e.category() == SenderException.Category.RETRIABLE) {
        problem(e.getMessage());
        return false;
      }
      contributions.audit(user, "POOL_CALL_FAILED", call.text() + ": " + e.getMessage());
      log.warn("Yield pool: {} refused: {}", call.text(), e.getMessage());
      return true;
    }
    contributions.audit(user, "POOL_CALL_SENT", call.text() + " in " + tx.hash());
    log.info("Yield pool: sent {} in {}", call.text(), tx.hash());
    TxOutcome outcome;
    try {
      outcome = sender.await(tx, v -> contributions.sending(user, v, call));
    } catch (SenderException e) {
      // Broadcast and recorded: the next pass resolves it by its hashes.
      problem(e.getMessage());
      return false;
    }
    return settle(user, call, outcome);
  }

  /**
   * @return false if the transaction is still pending
   */
  private boolean settle(String user, PoolCall call, TxOutcome outcome) {
    if (outcome instanceof TxOutcome.Mined mined && mined.receipt().success()) {
      String burn = call instanceof PoolCall.EmergencyBurn b ? b.burnEventId() : null;
      contributions.settled(user, mined.receipt().hash(), burn, null);
      contributions.audit(
          user,
          "POOL_CALL_MINED",
          call.text()
              + " in "
              + mined.receipt().hash()
              + ", block "
              + mined.receipt().blockNumber());
      log.info("Yield pool: {} mined in {}", call.text(), mined.receipt().hash());
      return true;
    }
    if (outcome instanceof TxOutcome.Mined mined) {
      String error = call.text() + " reverted in block " + mined.receipt().blockNumber();
      contributions.settled(user, mined.receipt().hash(), null, error);
      contributions.audit(user, "POOL_CALL_FAILED", error);
      log.warn("Yield pool: {}", error);
      return true;
    }
    if (outcome instanceof TxOutcome.Dropped dropped) {
      String error = call.text() + " dropped: " + dropped.reason();
      contributions.settled(user, null, null, error);
      contributions.audit(user, "POOL_CALL_FAILED", error);
      log.warn("Yield pool: {}", error);
      return true;
    }
    return false;
  }

  private void record(
      PoolContributionRepository.Candidate c, BigInteger onChain, PoolCall call, String error) {
    Optional<String> before =
        contributions.checked(c.user(), c.desiredSats(), onChain, call, error);
    String now = call == null ? null : call.text();
    if (!java.util.Objects.equals(before.orElse(null), now)) {
      if (now == null) {
        log.info("Yield pool: {} in step at {} sats", c.user(), onChain);
      } else {
        log.info(
            "Yield pool: {} out of step (pool {}, desired {}): {}{}",
            c.user(),
            onChain,
            c.desiredSats(),
            now,
            error == null ? "" : " - " + error);
      }
    }
  }

  private static PoolCall callOf(PoolContributionRepository.InFlight tx) {
    return tx.burnEventId() != null
        ? new PoolCall.EmergencyBurn(tx.user(), tx.amount(), tx.burnEventId())
        : new PoolCall.Update(tx.user(), tx.amount().longValueExact());
  }

  private void problem(String problem) {
    if (!problem.equals(lastProblem)) {
      log.warn("Yield pool not kept in step this pass: {}", problem);
      lastProblem = problem;
    }
  }

  private void recovered() {
    if (lastProblem != null) {
      log.info("Yield pool kept in step again");
      lastProblem = null;
    }
  }
}
