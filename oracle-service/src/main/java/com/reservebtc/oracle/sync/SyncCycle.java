package com.reservebtc.oracle.sync;

import com.reservebtc.oracle.OracleProperties;
import com.reservebtc.oracle.alerts.OracleAlerts;
import com.reservebtc.oracle.binding.Binding;
import com.reservebtc.oracle.binding.BindingRepository;
import com.reservebtc.oracle.binding.BindingService;
import com.reservebtc.oracle.bitcoin.AddressObservation;
import com.reservebtc.oracle.bitcoin.BalanceObserver;
import com.reservebtc.oracle.chain.AggregatorClient;
import com.reservebtc.oracle.chain.ChainException;
import com.reservebtc.oracle.chain.FeeSchedule;
import com.reservebtc.oracle.chain.SimulationResult;
import com.reservebtc.oracle.chain.SyncReceipt;
import com.reservebtc.oracle.kafka.EventPublisher;
import com.reservebtc.oracle.operations.Operation;
import com.reservebtc.oracle.operations.OperationStatus;
import com.reservebtc.oracle.operations.OperationsLog;
import com.reservebtc.oracle.reserves.ReserveSnapshotter;
import com.reservebtc.txsender.BeforeBroadcast;
import com.reservebtc.txsender.Call;
import com.reservebtc.txsender.Receipt;
import com.reservebtc.txsender.SenderException;
import com.reservebtc.txsender.SentTx;
import com.reservebtc.txsender.TransactionSender;
import com.reservebtc.txsender.TxOutcome;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * One oracle cycle: observe every monitored Bitcoin address, then bring each user's on-chain
 * balance to the sum of their confirmed Bitcoin balances.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>A user is synced only when every one of their addresses was observed and agreed on by all
 *       sources; otherwise the user is SKIPPED (or SOURCE_DISAGREEMENT) and nothing is sent — a
 *       failed observation is never read as zero.
 *   <li>Every sync is simulated first; {@code "needs-topup"} is recorded as NEEDS_TOP_UP and
 *       nothing is sent; increases whose fee would exceed the cap are split into absolute steps
 *       that fit.
 *   <li>Each step is logged PLANNED, then SUBMITTED (hash and nonce) before broadcast, then its
 *       outcome from the receipt (CONFIRMED, REVERTED or EMERGENCY_BURN) — or FAILED.
 *   <li>SUBMITTED steps without an outcome (a crash, a receipt timeout) are resolved from their
 *       receipts before anything new is sent; while one is still pending, nothing new is sent.
 *       Because a sync sets an absolute balance, re-sending after an unresolved failure is safe.
 *   <li>A user with an unbinding not yet settled stays in scope even with no binding left: the
 *       target is the sum over the addresses still bound (zero if none). The unbinding is settled
 *       once a cycle that started after it finds the on-chain balance equal to that target.
 *   <li>After the syncs, a proof-of-reserves snapshot is taken if the tip is new ({@link
 *       ReserveSnapshotter}).
 * </ul>
 *
 * <p>Not thread-safe: run by one scheduler thread. Repeated SKIPPED, SOURCE_DISAGREEMENT,
 * NEEDS_TOP_UP and simulation failures for the same user and target are logged once until the
 * situation changes (an in-memory note that only suppresses log noise; after a restart the current
 * state is logged once more).
 */
@Component
class SyncCycle {

  private static final Logger log = LoggerFactory.getLogger(SyncCycle.class);
  private static final Duration REPUBLISH_AFTER = Duration.ofSeconds(30);
  private static final int FEE_CAP_RETRIES = 20;

  private final BindingRepository bindings;
  private final BindingService bindingService;
  private final BalanceObserver observer;
  private final ObservationPublisher observations;
  private final AggregatorClient aggregator;
  private final TransactionSender sender;
  private final OperationsLog operations;
  private final ReserveSnapshotter reserves;
  private final OracleAlerts alerts;
  private final AfterBroadcast afterBroadcast;
  private final OracleProperties properties;
  private final Clock clock;

  /** Last quiet (repeatable) report per user, to log a persisting situation once. */
  private final Map<String, String> quietReports = new HashMap<>();

  private String lastChainProblem;

  SyncCycle(
      BindingRepository bindings,
      BindingService bindingService,
      BalanceObserver observer,
      ObservationPublisher observations,
      AggregatorClient aggregator,
      TransactionSender sender,
      OperationsLog operations,
      ReserveSnapshotter reserves,
      OracleAlerts alerts,
      ObjectProvider<AfterBroadcast> afterBroadcast,
      OracleProperties properties,
      Clock clock) {
    this.bindings = bindings;
    this.bindingService = bindingService;
    this.observer = observer;
    this.observations = observations;
    this.aggregator = aggregator;
    this.sender = sender;
    this.operations = operations;
    this.reserves = reserves;
    this.alerts = alerts;
    this.afterBroadcast = afterBroadcast.getIfAvailable(() -> (user, tx) -> {});
    this.properties = properties;
    this.clock = clock;
  }

  void run() {
    republishUnpublished();
    Instant cycleStartedAt = clock.instant();
    List<Binding> monitored = bindings.monitored();
    Set<String> unsettled = new HashSet<>(bindings.usersWithUnsettledUnbindings());
    if (monitored.isEmpty() && unsettled.isEmpty()) {
      return;
    }
    Map<String, List<String>> addressesByUser = new LinkedHashMap<>();
    for (Binding binding : monitored) {
      addressesByUser
          .computeIfAbsent(binding.ethAddress(), k -> new ArrayList<>())
          .add(binding.btcAddress());
    }
    // A user whose last address was unbound has no binding left but still a balance to remove.
    for (String user : unsettled) {
      addressesByUser.putIfAbsent(user, new ArrayList<>());
    }
    Observations observed =
        new Observations(
            observer.observe(monitored.stream().map(Binding::btcAddress).toList()),
            clock.instant());
    Set<String> verified = sync(addressesByUser, observed, unsettled, cycleStartedAt);
    try {
      observations.publish(monitored, observed.byAddress(), verified);
    } catch (EventPublisher.PublishException e) {
      log.warn("Balance observations of this cycle were not published: {}", e.getMessage());
    }
    // After the syncs, so the supply read reflects what this tip's balances led to.
    reserves.snapshotIfNewTip(monitored, observed.byAddress());
  }

  /**
   * @return the users whose on-chain balance equals their observed Bitcoin balance after this cycle
   *     (verified, whether or not a sync was needed)
   */
  private Set<String> sync(
      Map<String, List<String>> addressesByUser,
      Observations observed,
      Set<String> unsettled,
      Instant cycleStartedAt) {
    Set<String> verified = new HashSet<>();
    FeeSchedule fees;
    try {
      fees = aggregator.verifyDeployment();
      if (!resolvePendingSubmissions()) {
        chainProblem("a submitted sync is still pending; waiting for it before sending more");
        return verified;
      }
      // Nothing of ours is in flight: the node's count is the next nonce, also after a reorg
      // orphaned a transaction this process counted as mined.
      sender.resyncNonce();
    } catch (ChainException e) {
      chainProblem(e.kind() + ": " + e.getMessage());
      return verified;
    }
    Map<String, Long> targets = new LinkedHashMap<>();
    addressesByUser.forEach(
        (user, addresses) ->
            target(user, addresses, observed).ifPresent(t -> targets.put(user, t)));
    Map<String, Long> onChain;
    try {
      // One JSON-RPC batch per chunk of users instead of one round trip each.
      onChain = aggregator.lastSats(targets.keySet());
    } catch (ChainException e) {
      chainProblem(e.kind() + ": " + e.getMessage());
      return verified;
    }
    for (Map.Entry<String, Long> entry : targets.entrySet()) {
      String user = entry.getKey();
      long target = entry.getValue();
      long last = onChain.get(user);
      try {
        if (target != last
            && observed.olderThan(
                addressesByUser.get(user), properties.maxObservationAge(), clock)) {
          // A long cycle: the balance is read again right before a sync carries it.
          observed.refresh(addressesByUser.get(user), observer, clock);
          OptionalLong fresh = target(user, addressesByUser.get(user), observed);
          if (fresh.isEmpty()) {
            continue;
          }
          target = fresh.getAsLong();
        }
        SyncResult result = syncUser(user, target, last, fees, unsettled, cycleStartedAt);
        if (result == SyncResult.AT_TARGET) {
          verified.add(user);
        } else if (result == SyncResult.PENDING) {
          return verified;
        }
      } catch (ChainException e) {
        chainProblem(e.kind() + ": " + e.getMessage());
        return verified;
      }
    }
    chainRecovered();
    return verified;
  }

  private void republishUnpublished() {
    try {
      bindingService.republishUnpublished(REPUBLISH_AFTER);
      operations.republishUnpublished(REPUBLISH_AFTER);
      alerts.republishUnpublished(REPUBLISH_AFTER);
      reserves.republishUnpublished(REPUBLISH_AFTER);
    } catch (EventPublisher.PublishException e) {
      log.warn("Re-publishing unpublished records failed, retrying next cycle: {}", e.getMessage());
    }
  }

  /**
   * Resolves SUBMITTED steps that have no outcome from their receipts.
   *
   * @return false if one is still pending on the node (nothing new may be sent yet)
   */
  boolean resolvePendingSubmissions() throws ChainException {
    boolean clear = true;
    for (OperationsLog.Unresolved unresolved : operations.unresolvedSubmissions()) {
      Operation submitted = unresolved.latest();
      TxOutcome outcome;
      try {
        outcome = sender.outcome(unresolved.hashes());
        if (outcome instanceof TxOutcome.Pending) {
          // Still waiting (also after a restart): replaced with higher fees once its latest
          // version has waited past replace-after, so one transaction below the base fee does not
          // hold every later sync back. One look per cycle: the cycle goes on observing meanwhile.
          Optional<SentTx> pending = sender.resume(unresolved.hashes(), submitted.occurredAt());
          if (pending.isPresent()) {
            outcome = sender.check(pending.get(), replacementOf(submitted));
          }
        }
      } catch (SenderException e) {
        throw chainFailure(e);
      }
      if (outcome instanceof TxOutcome.Mined mined) {
        recordOutcome(
            submitted.withTx(mined.receipt().hash(), submitted.nonce()),
            aggregator.interpret(mined.receipt()),
            "resolved after the fact");
      } else if (outcome instanceof TxOutcome.Pending) {
        clear = false;
      } else {
        recordDropped(submitted, ((TxOutcome.Dropped) outcome).reason());
      }
    }
    return clear;
  }

  /**
   * Records each replacement of a submitted sync (same nonce, higher fees, new hash) as a further
   * SUBMITTED step before it is broadcast, so a restart knows every hash that may be mined.
   */
  private BeforeBroadcast replacementOf(Operation submitted) {
    AtomicReference<String> previous = new AtomicReference<>(submitted.txHash());
    return replacement -> {
      operations.record(
          submitted
              .next(
                  OperationStatus.SUBMITTED,
                  "replaces "
                      + previous.get()
                      + " at nonce "
                      + replacement.nonce()
                      + " with higher fees: "
                      + replacement.fees(),
                  clock.instant())
              .withTx(replacement.hash(), replacement.nonce()));
      previous.set(replacement.hash());
    };
  }

  private static ChainException chainFailure(SenderException e) {
    return new ChainException(
        e.kind() == SenderException.Kind.MISCONFIGURED
            ? ChainException.Kind.MISCONFIGURED
            : ChainException.Kind.UNAVAILABLE,
        e.getMessage(),
        e);
  }

  /**
   * The sum of the user's balances, all as of one block, or empty (reported once per episode as
   * SKIPPED or SOURCE_DISAGREEMENT) if any of their addresses was not observed. Addresses observed
   * as of different blocks (a block arrived between two chunks) are observed again together: a
   * payment between two of the user's addresses must count exactly once.
   */
  private OptionalLong target(String user, List<String> addresses, Observations observed) {
    if (!observed.sameBlock(addresses)) {
      observed.refresh(addresses, observer, clock);
      if (!observed.sameBlock(addresses)) {
        reportQuietly(
            Operation.of(
                UUID.randomUUID(),
                user,
                OperationStatus.SKIPPED,
                "the user's addresses were observed as of different Bitcoin blocks twice (the"
                    + " chain is moving); retried next cycle",
                clock.instant()),
            OperationStatus.SKIPPED);
        return OptionalLong.empty();
      }
    }
    long target = 0;
    for (String address : addresses) {
      AddressObservation observation = observed.byAddress().get(address);
      if (observation instanceof AddressObservation.Observed ok) {
        target = Math.addExact(target, ok.confirmedSats());
        continue;
      }
      boolean disagreement = observation instanceof AddressObservation.Disagreement;
      String reason =
          observation == null
              ? "not observed"
              : observation instanceof AddressObservation.Disagreement d
                  ? d.reason()
                  : ((AddressObservation.Failed) observation).reason();
      OperationStatus status =
          disagreement ? OperationStatus.SOURCE_DISAGREEMENT : OperationStatus.SKIPPED;
      // One record per episode: the situation is the status, not the reason's block heights.
      reportQuietly(
          Operation.of(
              UUID.randomUUID(),
              user,
              status,
              "balance of " + address + " unknown this cycle: " + reason,
              clock.instant()),
          status);
      return OptionalLong.empty();
    }
    return OptionalLong.of(target);
  }

  /**
   * @param last the user's {@code lastSats} read at the start of the sync phase
   * @return whether the chain now holds the target, or sending must stop for this cycle (a
   *     transaction is left pending)
   */
  private SyncResult syncUser(
      String user,
      long target,
      long last,
      FeeSchedule fees,
      Set<String> unsettled,
      Instant cycleStartedAt)
      throws ChainException {
    if (target == last) {
      quietReports.remove(user);
      if (unsettled.contains(user)) {
        bindings.settleUnbindings(user, cycleStartedAt, clock.instant());
      }
      return SyncResult.AT_TARGET;
    }
    long maxDelta = fees.maxUpwardDelta();
    SyncPlan plan;
    try {
      plan = SyncPlan.of(last, target, maxDelta, properties.maxSyncsPerUserPerCycle());
    } catch (IllegalArgumentException e) {
      reportQuietly(failed(user, last, target, e.getMessage()), target);
      return SyncResult.NOT_AT_TARGET;
    }
    if (plan.isSplit()) {
      recordSplit(user, plan, maxDelta);
    }
    long previous = last;
    List<Long> steps = new ArrayList<>(plan.steps());
    int sent = 0;
    int feeCapRetries = 0;
    while (!steps.isEmpty() && sent < properties.maxSyncsPerUserPerCycle()) {
      long step = steps.get(0);
      StepResult result = executeStep(user, previous, step, fees);
      switch (result) {
        case CONFIRMED -> {
          steps.remove(0);
          previous = step;
          sent++;
        }
        case FEE_CAP_EXCEEDED -> {
          // The policy charged more than its published parameters predict (a per-user policy):
          // halve the step size and try again from where the chain is.
          long delta = step - previous;
          if (delta <= 1 || ++feeCapRetries > FEE_CAP_RETRIES) {
            reportQuietly(
                failed(user, previous, step, "FeeCapExceeded even for a delta of " + delta), step);
            return SyncResult.NOT_AT_TARGET;
          }
          maxDelta = Math.max(1, delta / 2);
          SyncPlan replanned =
              SyncPlan.of(previous, target, maxDelta, properties.maxSyncsPerUserPerCycle() - sent);
          recordSplit(user, replanned, maxDelta);
          steps = new ArrayList<>(replanned.steps());
        }
        case STOPPED -> {
          return SyncResult.NOT_AT_TARGET;
        }
        case PENDING -> {
          return SyncResult.PENDING;
        }
      }
    }
    return steps.isEmpty() && previous == target ? SyncResult.AT_TARGET : SyncResult.NOT_AT_TARGET;
  }

  private StepResult executeStep(String user, long previous, long step, FeeSchedule fees)
      throws ChainException {
    long delta = step - previous;
    SimulationResult simulation = aggregator.simulateSync(user, step);
    if (simulation instanceof SimulationResult.NeedsTopUp) {
      reportQuietly(
          Operation.of(
                  UUID.randomUUID(),
                  user,
                  OperationStatus.NEEDS_TOP_UP,
                  "the fee vault cannot pay the fee of this sync; deposit ETH to the fee vault",
                  clock.instant())
              .withAmounts(previous, step, delta, fees.quote(delta)),
          step);
      return StepResult.STOPPED;
    }
    if (simulation instanceof SimulationResult.FeeCapExceeded) {
      return StepResult.FEE_CAP_EXCEEDED;
    }
    if (simulation instanceof SimulationResult.Reverted reverted) {
      reportQuietly(
          failed(user, previous, step, "simulation reverted: " + reverted.reason())
              .withAmounts(previous, step, delta, fees.quote(delta)),
          step);
      return StepResult.STOPPED;
    }

    quietReports.remove(user);
    Operation planned =
        new Operation(
            UUID.randomUUID(),
            user,
            OperationStatus.PLANNED,
            previous,
            step,
            delta,
            fees.quote(delta),
            null,
            null,
            null,
            clock.instant());
    operations.record(planned);
    AtomicReference<Operation> submitted = new AtomicReference<>();
    SentTx tx;
    try {
      tx =
          sender.send(
              new Call(aggregator.address(), BigInteger.ZERO, aggregator.encodeSync(user, step)),
              signed -> {
                Operation row =
                    planned
                        .next(OperationStatus.SUBMITTED, null, clock.instant())
                        .withTx(signed.hash(), signed.nonce());
                operations.record(row);
                submitted.set(row);
              });
    } catch (SenderException e) {
      switch (e.kind()) {
        case REJECTED, NONCE -> {
          Operation base = submitted.get() != null ? submitted.get() : planned;
          operations.record(base.next(OperationStatus.FAILED, e.getMessage(), clock.instant()));
          log.warn("Sync of {} to {} sats was not sent: {}", user, step, e.getMessage());
          return StepResult.STOPPED;
        }
        case FEE_CAP -> {
          // The base fee is above the cap for everyone: nothing more is sent this cycle (the
          // sender raised the stuck alert once).
          operations.record(planned.next(OperationStatus.FAILED, e.getMessage(), clock.instant()));
          return StepResult.PENDING;
        }
        case UNKNOWN_OUTCOME -> {
          log.warn("Sync of {} to {} sats may not have been sent: {}", user, step, e.getMessage());
          return submitted.get() != null ? StepResult.PENDING : StepResult.STOPPED;
        }
        default -> throw chainFailure(e);
      }
    }
    afterBroadcast.broadcast(user, tx);
    TxOutcome mined;
    try {
      mined = sender.await(tx, replacementOf(submitted.get()));
    } catch (SenderException e) {
      throw chainFailure(e);
    }
    if (mined instanceof TxOutcome.Pending pending) {
      log.warn(
          "Sync {} of {} was not mined in time{}; it is resolved next cycle",
          pending.hashes().get(pending.hashes().size() - 1),
          user,
          pending.stuck() ? " (stuck at the max-fee cap)" : "");
      return StepResult.PENDING;
    }
    if (mined instanceof TxOutcome.Dropped dropped) {
      recordDropped(submitted.get(), dropped.reason());
      return StepResult.STOPPED;
    }
    Receipt receipt = ((TxOutcome.Mined) mined).receipt();
    SyncReceipt outcome = aggregator.interpret(receipt);
    recordOutcome(submitted.get().withTx(receipt.hash(), submitted.get().nonce()), outcome, null);
    return outcome.success() && !outcome.emergencyBurn()
        ? StepResult.CONFIRMED
        : StepResult.STOPPED;
  }

  /**
   * A submitted sync the node will not mine (see {@link TxOutcome.Dropped}): FAILED, and the nonce
   * is re-read. The next cycle compares the balance with the chain again, so the sync is re-sent
   * only if the chain still needs it.
   */
  private void recordDropped(Operation submitted, String reason) {
    operations.record(
        submitted.next(
            OperationStatus.FAILED,
            "transaction " + reason + "; the next cycle re-evaluates the balance",
            clock.instant()));
    sender.resyncNonce();
    log.warn("Sync {} for {} was dropped: {}", submitted.txHash(), submitted.ethAddress(), reason);
  }

  private void recordOutcome(Operation submitted, SyncReceipt receipt, String context) {
    String suffix = context == null ? "" : " (" + context + ")";
    Operation outcome;
    if (!receipt.success()) {
      outcome =
          submitted.next(
              OperationStatus.REVERTED,
              "reverted in block " + receipt.blockNumber() + suffix,
              clock.instant());
      log.warn("Sync {} of {} reverted", submitted.txHash(), submitted.ethAddress());
    } else if (receipt.emergencyBurn()) {
      outcome =
          submitted
              .next(
                  OperationStatus.EMERGENCY_BURN,
                  "the aggregator burned the whole balance instead: "
                      + receipt.emergencyBurnReason()
                      + suffix,
                  clock.instant())
              .withAmounts(
                  submitted.previousSats(), 0L, -receipt.emergencyBurnSats(), BigInteger.ZERO);
      log.warn(
          "Emergency burn of {} sats for {} in {}",
          receipt.emergencyBurnSats(),
          submitted.ethAddress(),
          submitted.txHash());
    } else {
      outcome =
          submitted
              .next(
                  OperationStatus.CONFIRMED,
                  "mined in block " + receipt.blockNumber() + suffix,
                  clock.instant())
              .withAmounts(
                  submitted.previousSats(),
                  receipt.newBalanceSats() != null
                      ? receipt.newBalanceSats()
                      : submitted.targetSats(),
                  receipt.deltaSats() != null ? receipt.deltaSats() : submitted.deltaSats(),
                  receipt.feeWei() != null ? receipt.feeWei() : submitted.feeWei());
      log.info(
          "Synced {} from {} to {} sats in {}",
          submitted.ethAddress(),
          submitted.previousSats(),
          outcome.targetSats(),
          submitted.txHash());
    }
    operations.record(outcome);
  }

  private void recordSplit(String user, SyncPlan plan, long maxDelta) {
    operations.record(
        Operation.of(
                UUID.randomUUID(),
                user,
                OperationStatus.SPLIT,
                "increase exceeds the fee cap; "
                    + plan.steps().size()
                    + " syncs of at most "
                    + maxDelta
                    + " sats: "
                    + plan.steps()
                    + (plan.truncated() ? "; continued next cycle" : ""),
                clock.instant())
            .withAmounts(plan.previous(), plan.target(), plan.target() - plan.previous(), null));
  }

  private Operation failed(String user, long previous, long target, String detail) {
    return Operation.of(UUID.randomUUID(), user, OperationStatus.FAILED, detail, clock.instant())
        .withAmounts(previous, target, target - previous, null);
  }

  /**
   * Records {@code operation} unless the user's last report was the same status in the same
   * situation (a skip for the same reason, a top-up need or failure at the same target).
   */
  private void reportQuietly(Operation operation, Object situation) {
    String key = operation.status() + "|" + situation;
    if (key.equals(quietReports.get(operation.ethAddress()))) {
      return;
    }
    quietReports.put(operation.ethAddress(), key);
    operations.record(operation);
    log.info("{} for {}: {}", operation.status(), operation.ethAddress(), operation.detail());
  }

  private void chainProblem(String problem) {
    if (!problem.equals(lastChainProblem)) {
      log.warn("Not syncing this cycle: {}", problem);
      lastChainProblem = problem;
    }
  }

  private void chainRecovered() {
    if (lastChainProblem != null) {
      log.info("Syncing resumed");
      lastChainProblem = null;
    }
  }

  private enum SyncResult {
    /** The chain holds the user's target balance. */
    AT_TARGET,
    /** Not (yet) synced: needs a top-up, failed, or continues next cycle. */
    NOT_AT_TARGET,
    /** A transaction is left pending: nothing more may be sent this cycle. */
    PENDING
  }

  private enum StepResult {
    CONFIRMED,
    FEE_CAP_EXCEEDED,
    STOPPED,
    PENDING
  }
}
