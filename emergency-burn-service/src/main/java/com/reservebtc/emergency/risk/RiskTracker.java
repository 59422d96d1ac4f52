package com.reservebtc.emergency.risk;

import com.reservebtc.emergency.inbox.ProcessedEvents;
import com.reservebtc.emergency.kafka.ChainValues;
import com.reservebtc.emergency.kafka.MalformedEventException;
import com.reservebtc.emergency.outbox.Outbox;
import com.reservebtc.schemas.EventIds;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.AlertKind;
import com.reservebtc.schemas.avro.ChainLogRef;
import com.reservebtc.schemas.avro.EmergencyAlert;
import com.reservebtc.schemas.avro.FeeVaultEvent;
import com.reservebtc.schemas.avro.SyncedEvent;
import java.math.BigInteger;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Keeps each user's rBTC balance (from Synced) and fee-vault balance (Deposited - Spent -
 * Withdrawn) and queues an AT_RISK alert when a user enters the at-risk state, CLEARED when they
 * leave it; nothing while the state stays the same. Each record is applied in one transaction with
 * its inbox entry and alert. A retraction undoes the record's balance change and may itself cause a
 * transition.
 *
 * <p>The balances are only as complete as the topics since the start block the indexer used; the
 * service does not read the chain itself.
 */
@Service
public class RiskTracker {

  private static final Logger log = LoggerFactory.getLogger(RiskTracker.class);

  private final ProcessedEvents inbox;
  private final UserRiskRepository risks;
  private final Outbox outbox;
  private final RiskRule rule;

  RiskTracker(ProcessedEvents inbox, UserRiskRepository risks, Outbox outbox, FeeProperties fees) {
    this.inbox = inbox;
    this.risks = risks;
    this.outbox = outbox;
    this.rule = new RiskRule(fees.fixedWei());
  }

  /** Returns whether an alert was queued. */
  @Transactional
  boolean applySynced(SyncedEvent event) {
    ChainLogRef chainLog = event.getLog();
    String user = ChainValues.address(event.getUser());
    if (event.getNewBalanceSats() < 0) {
      throw new MalformedEventException("Synced newBalanceSats is negative: " + event);
    }
    if (!inbox.claim(chainLog, Topics.CHAIN_SYNCED.name())) {
      return false;
    }
    // The event carries the absolute balance; a retraction restores the balance before it.
    long balance =
        chainLog.getRetracted()
            ? Math.subtractExact(event.getNewBalanceSats(), event.getDeltaSats())
            : event.getNewBalanceSats();
    if (balance < 0) {
      throw new MalformedEventException(
          "retracted Synced would leave a negative balance: " + event);
    }
    UserRisk before = risks.lock(user);
    return settle(before, balance, before.feeVaultBalanceWei(), chainLog);
  }

  /** Returns whether an alert was queued. */
  @Transactional
  boolean applyFeeVault(FeeVaultEvent event) {
    ChainLogRef chainLog = event.getLog();
    String user = ChainValues.address(event.getUser());
    BigInteger amount = ChainValues.unsigned("amountWei", event.getAmountWei());
    if (!inbox.claim(chainLog, Topics.CHAIN_FEE_VAULT.name())) {
      return false;
    }
    BigInteger change =
        switch (event.getKind()) {
          case DEPOSITED -> amount;
          case SPENT, WITHDRAWN -> amount.negate();
        };
    if (chainLog.getRetracted()) {
      change = change.negate();
    }
    UserRisk before = risks.lock(user);
    return settle(
        before, before.rbtcBalanceSats(), before.feeVaultBalanceWei().add(change), chainLog);
  }

  /**
   * Queues {@code notice} (an alert about this user that is not about their risk, e.g. a burn
   * notice withdrawn after a reorg, kind CLEARED) with the user's current balances, and then, if
   * the user is at risk, their AT_RISK alert again: readers that take a user's latest AT_RISK /
   * CLEARED alert as their risk keep seeing the truth. The user's row is locked before anything is
   * queued, so no concurrent risk transition of the same user can be ordered between the two
   * alerts.
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public void queueRestatingRisk(EmergencyAlert notice, ChainLogRef cause) {
    Optional<UserRisk> current = risks.lockExisting(notice.getUser());
    EmergencyAlert.Builder withBalances = EmergencyAlert.newBuilder(notice);
    current.ifPresent(
        risk ->
            withBalances
                .setRbtcBalanceSats(risk.rbtcBalanceSats())
                .setFeeVaultBalanceWei(risk.feeVaultBalanceWei().toString())
                .setRequiredFeeWei(rule.fixedFeeWei().toString()));
    outbox.add(Topics.EMERGENCY_ALERTS, notice.getUser(), withBalances.build());
    if (current.isPresent() && current.get().atRisk()) {
      outbox.add(
          Topics.EMERGENCY_ALERTS,
          notice.getUser(),
          alert(current.get(), AlertKind.AT_RISK, EventIds.of(cause), cause));
    }
  }

  private boolean settle(UserRisk before, long rbtcSats, BigInteger vaultWei, ChainLogRef cause) {
    boolean atRisk = rule.atRisk(rbtcSats, vaultWei);
    UserRisk after = new UserRisk(before.user(), rbtcSats, vaultWei, atRisk);
    String eventId = EventIds.of(cause);
    risks.save(after, cause.getRetracted() ? eventId + ":retracted" : eventId);
    if (atRisk == before.atRisk()) {
      return false;
    }
    AlertKind kind = atRisk ? AlertKind.AT_RISK : AlertKind.CLEARED;
    log.info(
        "user {} is now {}: rbtc={} sats, fee vault={} wei, downward sync fee={} wei (event {})",
        after.user(),
        kind,
        rbtcSats,
        vaultWei,
        rule.fixedFeeWei(),
        eventId);
    outbox.add(Topics.EMERGENCY_ALERTS, after.user(), alert(after, kind, eventId, cause));
    return true;
  }

  private EmergencyAlert alert(UserRisk risk, AlertKind kind, String eventId, ChainLogRef cause) {
    String message =
        kind == AlertKind.AT_RISK
            ? "The fee vault holds "
                + risk.feeVaultBalanceWei()
                + " wei, less than the "
                + rule.fixedFeeWei()
                + " wei fee of a downward sync: the next decrease of the Bitcoin balance burns all "
                + risk.rbtcBalanceSats()
                + " sats of rBTC-SYNTH. Deposit ETH into the fee vault."
            : risk.rbtcBalanceSats() == 0
                ? "No rBTC-SYNTH balance left to burn."
                : "The fee vault covers a downward sync again.";
    return EmergencyAlert.newBuilder()
        .setUser(risk.user())
        .setKind(kind)
        .setRbtcBalanceSats(risk.rbtcBalanceSats())
        .setFeeVaultBalanceWei(risk.feeVaultBalanceWei().toString())
        .setRequiredFeeWei(rule.fixedFeeWei().toString())
        .setEventId(eventId)
        .setMessage(message)
        .setOccurredAtMillis(cause.getBlockTimestamp() * 1000)
        .build();
  }
}
