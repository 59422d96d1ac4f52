package com.reservebtc.gateway.projection;

import com.reservebtc.gateway.api.TransactionJson;
import com.reservebtc.gateway.api.TransactionRow;
import com.reservebtc.gateway.api.TxFinality;
import com.reservebtc.gateway.api.TxType;
import com.reservebtc.gateway.projection.BalanceStore.Asset;
import com.reservebtc.gateway.stream.StreamEvent;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Applies chain logs (Synced, token, fee-vault and emergency-burn records) to {@code transactions},
 * {@code balances} and {@code balance_history}, and undoes them on retraction.
 *
 * <p>Must run inside the caller's database transaction. Guarantees: each log is applied at most
 * once per block it appears in (inbox id {@code eventId@blockHash}); a retraction removes the row
 * and reverses exactly the balance effects that row had; the rBTC balance is recomputed from the
 * stored Synced rows, so it does not depend on arrival order. Does not check that a block is
 * canonical: it trusts the indexer to retract orphaned logs.
 */
@Component
class ChainEventProjector {

  private static final Logger log = LoggerFactory.getLogger(ChainEventProjector.class);

  private final Inbox inbox;
  private final TransactionStore transactions;
  private final BalanceStore balances;
  private final CommittedChanges changes;

  ChainEventProjector(
      Inbox inbox, TransactionStore transactions, BalanceStore balances, CommittedChanges changes) {
    this.inbox = inbox;
    this.transactions = transactions;
    this.balances = balances;
    this.changes = changes;
  }

  Outcome project(String topic, ChainLog chainLog) {
    return chainLog.retracted() ? retract(topic, chainLog) : apply(topic, chainLog);
  }

  private Outcome apply(String topic, ChainLog chainLog) {
    if (!inbox.claim(chainLog.applyId(), topic)) {
      return Outcome.DUPLICATE;
    }
    List<StreamEvent> events = new ArrayList<>();
    TransactionRow incoming = chainLog.row();
    Optional<TransactionRow> stored =
        transactions.find(incoming.chainId(), incoming.txHash(), incoming.logIndex());
    if (stored.isPresent()) {
      // The same log stored from another block whose retraction never arrived: the new block
      // supersedes it, so its effects are undone before the new ones are applied.
      TransactionRow stale = stored.get();
      log.warn(
          "log {} re-published from block {} while stored from block {}; replacing it",
          stale.eventId(),
          incoming.blockHash(),
          stale.blockHash());
      transactions.deleteFromBlock(stale);
      undoEffects(stale);
      events.addAll(streamEvents(StreamEvent.RETRACTED, stale, "RETRACTED"));
    }

    TxFinality finality =
        incoming
            .finality()
            .atLeast(transactions.finalityByMarkers(incoming.chainId(), incoming.blockNumber()));
    TransactionRow row = incoming.withFinality(finality);
    if (row.txType() == TxType.MINT || row.txType() == TxType.BURN) {
      row =
          row.withBitcoinAddress(
                  transactions.monitoredBitcoinAddress(row.userAddress()).orElse(null))
              .withEmergencyBurn(
                  transactions.hasEmergencyBurn(row.chainId(), row.txHash(), row.userAddress()));
    }
    transactions.insert(row);
    applyEffects(row);
    if (row.txType() == TxType.EMERGENCY_BURN && "ORACLE_AGGREGATOR".equals(row.source())) {
      for (TransactionRow flagged :
          transactions.flagEmergencyBurn(row.chainId(), row.txHash(), row.userAddress(), true)) {
        events.addAll(streamEvents(StreamEvent.TRANSACTION, flagged, flagged.finality().name()));
      }
    }
    events.addAll(streamEvents(StreamEvent.TRANSACTION, row, row.finality().name()));
    changes.afterCommit(events);
    return Outcome.APPLIED;
  }

  private Outcome retract(String topic, ChainLog chainLog) {
    if (!inbox.claim(chainLog.retractId(), topic)) {
      return Outcome.DUPLICATE;
    }
    Optional<TransactionRow> removed = transactions.deleteFromBlock(chainLog.row());
    if (removed.isEmpty()) {
      // Not stored from that block: never applied, or already replaced by a re-mined copy.
      return Outcome.NO_EFFECT;
    }
    TransactionRow row = removed.get();
    undoEffects(row);
    List<StreamEvent> events = new ArrayList<>();
    if (row.txType() == TxType.EMERGENCY_BURN && "ORACLE_AGGREGATOR".equals(row.source())) {
      for (TransactionRow unflagged :
          transactions.flagEmergencyBurn(row.chainId(), row.txHash(), row.userAddress(), false)) {
        events.addAll(
            streamEvents(StreamEvent.TRANSACTION, unflagged, unflagged.finality().name()));
      }
    }
    events.addAll(streamEvents(StreamEvent.RETRACTED, row, "RETRACTED"));
    changes.afterCommit(events);
    log.info(
        "retracted {} ({}) of {} from orphaned block {} {}",
        row.eventId(),
        row.txType(),
        row.userAddress(),
        row.blockNumber(),
        row.blockHash());
    return Outcome.RETRACTED;
  }

  private void applyEffects(TransactionRow row) {
    switch (row.txType()) {
      case MINT, BURN -> {
        balances.recomputeRbtc(row.userAddress());
        balances.recordHistory(
            row.userAddress(),
            Asset.RBTC,
            row,
            row.delta(),
            BigInteger.valueOf(row.newBalanceSats()));
      }
      case WRBTC_MINT, WRBTC_BURN -> addAndRecord(row.userAddress(), Asset.WRBTC, row, row.delta());
      case WRBTC_TRANSFER -> {
        addAndRecord(row.userAddress(), Asset.WRBTC, row, row.delta());
        addAndRecord(row.counterparty(), Asset.WRBTC, row, row.delta().negate());
      }
      case FEE_DEPOSIT, FEE_SPENT, FEE_WITHDRAW ->
          addAndRecord(row.userAddress(), Asset.FEE_VAULT_WEI, row, row.delta());
      default -> {
        // Shown in the history only: Wrapped/Redeemed/Slashed move wrBTC through their Transfer
        // logs, and the rBTC balance follows the Synced logs.
      }
    }
  }

  private void undoEffects(TransactionRow row) {
    switch (row.txType()) {
      case MINT, BURN -> balances.recomputeRbtc(row.userAddress());
      case WRBTC_MINT, WRBTC_BURN ->
          balances.add(row.userAddress(), Asset.WRBTC, row.delta().negate());
      case WRBTC_TRANSFER -> {
        balances.add(row.userAddress(), Asset.WRBTC, row.delta().negate());
        balances.add(row.counterparty(), Asset.WRBTC, row.delta());
      }
      case FEE_DEPOSIT, FEE_SPENT, FEE_WITHDRAW ->
          balances.add(row.userAddress(), Asset.FEE_VAULT_WEI, row.delta().negate());
      default -> {}
    }
    balances.deleteHistory(row);
  }

  private void addAndRecord(String user, Asset asset, TransactionRow row, BigInteger delta) {
    // A self-transfer touches the same balance twice; the second history entry would collide.
    if (row.txType() == TxType.WRBTC_TRANSFER
        && row.userAddress().equals(row.counterparty())
        && delta.signum() > 0) {
      balances.add(user, asset, delta);
      return;
    }
    BigInteger after = balances.add(user, asset, delta);
    balances.recordHistory(user, asset, row, delta, after);
  }

  static List<StreamEvent> streamEvents(String type, TransactionRow row, String finality) {
    List<StreamEvent> events = new ArrayList<>(2);
    events.add(streamEvent(type, row, row.userAddress(), finality));
    if (row.counterparty() != null && !row.counterparty().equals(row.userAddress())) {
      events.add(streamEvent(type, row, row.counterparty(), finality));
    }
    return events;
  }

  private static StreamEvent streamEvent(
      String type, TransactionRow row, String viewer, String finality) {
    return StreamEvent.transaction(
        type,
        viewer,
        row.eventId(),
        finality,
        row.blockNumber(),
        row.listed(),
        TransactionJson.of(row, viewer));
  }
}
