package com.reservebtc.gateway.projection;

import com.reservebtc.chainconsumer.Batch;
import com.reservebtc.chainconsumer.ChainChange;
import com.reservebtc.gateway.api.TransactionJson;
import com.reservebtc.gateway.api.TransactionRow;
import com.reservebtc.gateway.api.TxFinality;
import com.reservebtc.gateway.api.TxType;
import com.reservebtc.gateway.projection.BalanceStore.Asset;
import com.reservebtc.gateway.projection.BalanceStore.Change;
import com.reservebtc.gateway.projection.BalanceStore.Holding;
import com.reservebtc.gateway.projection.TransactionStore.LogKey;
import com.reservebtc.gateway.stream.StreamEvent;
import com.reservebtc.schemas.avro.EmergencyBurnEvent;
import com.reservebtc.schemas.avro.FeeVaultEvent;
import com.reservebtc.schemas.avro.SyncedEvent;
import com.reservebtc.schemas.avro.TokenEvent;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Applies a batch's chain-log changes (Synced, token, fee-vault and emergency-burn records) to
 * {@code transactions}, {@code balances} and {@code balance_history}, with one statement per kind
 * of change, and returns the stream events they cause.
 *
 * <p>Guarantees: the tables are a function of the set of applied logs. A log's row is inserted by
 * APPLY, moved by REPLACE, deleted by RETRACT (the last change of a log in the batch decides its
 * row); additive balances change by the sum of the batch's changes (a log applied and retracted in
 * one batch adds nothing), the rBTC balance is recomputed from the stored Synced rows, and the
 * emergency-burn flag of a sync row is recomputed for every transaction the batch touched. The
 * users the batch touches are locked first (transaction-scoped advisory locks, in key order), so
 * batches of different threads or replicas touching one user run one after the other and each sees
 * the other's rows: nothing depends on which partition was applied first.
 */
@Component
class ChainLogProjection {

  private static final Logger log = LoggerFactory.getLogger(ChainLogProjection.class);

  private final TransactionStore transactions;
  private final BalanceStore balances;
  private final UserLocks locks;

  ChainLogProjection(TransactionStore transactions, BalanceStore balances, UserLocks locks) {
    this.transactions = transactions;
    this.balances = balances;
    this.locks = locks;
  }

  /** A change of the batch with the row its record describes. */
  private record Mapped(ChainChange change, TransactionRow row) {}

  /** Applies the batch's chain-log changes; returns their stream events, in change order. */
  List<StreamEvent> apply(Batch batch) {
    List<Mapped> mapped = new ArrayList<>();
    for (ChainChange change : batch.chainChanges()) {
      ChainLog chainLog = map(change);
      if (chainLog != null) {
        mapped.add(new Mapped(change, chainLog.row()));
      }
    }
    if (mapped.isEmpty()) {
      return List.of();
    }
    Set<String> users = new TreeSet<>();
    for (Mapped m : mapped) {
      users.add(m.row().userAddress());
      if (m.row().counterparty() != null) {
        users.add(m.row().counterparty());
      }
    }
    locks.lock(users);

    // the last change of each log decides its row and its history entries
    Map<LogKey, Mapped> last = new LinkedHashMap<>();
    SortedMap<Holding, BigInteger> sums = new TreeMap<>();
    Set<String> syncedUsers = new TreeSet<>();
    Set<LogKey> touchedTransactions = new LinkedHashSet<>();
    for (Mapped m : mapped) {
      LogKey key = LogKey.of(m.row());
      last.remove(key);
      last.put(key, m);
      int sign =
          switch (m.change().kind()) {
            case APPLY -> 1;
            case RETRACT -> -1;
            case REPLACE -> 0;
          };
      effects(m.row())
          .forEach(
              (holding, delta) ->
                  sums.merge(holding, delta.multiply(BigInteger.valueOf(sign)), BigInteger::add));
      TxType type = m.row().txType();
      if (type == TxType.MINT || type == TxType.BURN) {
        syncedUsers.add(m.row().userAddress());
      }
      if (type == TxType.MINT || type == TxType.BURN || type == TxType.EMERGENCY_BURN) {
        touchedTransactions.add(new LogKey(m.row().chainId(), m.row().txHash(), 0));
      }
    }

    List<LogKey> deleted = new ArrayList<>();
    List<String> deletedIds = new ArrayList<>();
    List<TransactionRow> stored = new ArrayList<>();
    List<Change> history = new ArrayList<>();
    for (Map.Entry<LogKey, Mapped> entry : last.entrySet()) {
      TransactionRow row = entry.getValue().row();
      if (entry.getValue().change().kind() == ChainChange.Kind.RETRACT) {
        deleted.add(entry.getKey());
        deletedIds.add(row.eventId());
      } else {
        stored.add(row);
        effects(row)
            .forEach(
                (holding, delta) -> {
                  if (delta.signum() != 0) {
                    history.add(
                        new Change(
                            row.eventId(),
                            holding,
                            row.blockHash(),
                            row.blockNumber(),
                            row.logIndex(),
                            row.blockTimestamp(),
                            delta));
                  }
                });
      }
    }
    transactions.delete(deleted);
    transactions.upsert(stored);
    balances.add(sums);
    balances.recomputeRbtc(syncedUsers);
    balances.deleteHistory(deletedIds);
    balances.recordHistory(history);
    List<LogKey> flagged = transactions.flagEmergencyBurns(touchedTransactions);

    return events(batch, mapped, last, flagged);
  }

  private List<StreamEvent> events(
      Batch batch, List<Mapped> mapped, Map<LogKey, Mapped> last, List<LogKey> flagged) {
    Set<LogKey> reread = new LinkedHashSet<>();
    for (Map.Entry<LogKey, Mapped> entry : last.entrySet()) {
      if (entry.getValue().change().kind() != ChainChange.Kind.RETRACT) {
        reread.add(entry.getKey());
      }
    }
    reread.addAll(flagged);
    Map<LogKey, TransactionRow> current = new HashMap<>();
    for (TransactionRow row : transactions.read(reread, batch::heldHeightsOf)) {
      current.put(LogKey.of(row), row);
    }
    List<StreamEvent> events = new ArrayList<>();
    Set<LogKey> announced = new java.util.HashSet<>();
    for (Mapped m : mapped) {
      LogKey key = LogKey.of(m.row());
      boolean isLast = last.get(key) == m;
      switch (m.change().kind()) {
        case APPLY, REPLACE -> {
          TransactionRow row =
              isLast && current.containsKey(key) ? current.get(key) : labelled(batch, m.row());
          events.addAll(streamEvents(StreamEvent.TRANSACTION, row, row.finality().name()));
          if (isLast) {
            announced.add(key);
          }
        }
        case RETRACT -> {
          TransactionRow row = labelled(batch, m.row());
          events.addAll(streamEvents(StreamEvent.RETRACTED, row, "RETRACTED"));
          log.debug(
              "retracted {} ({}) of {} from orphaned block {} {}",
              row.eventId(),
              row.txType(),
              row.userAddress(),
              row.blockNumber(),
              row.blockHash());
        }
      }
    }
    // sync rows whose emergency-burn flag changed because of another row of their transaction
    for (LogKey key : flagged) {
      TransactionRow row = current.get(key);
      if (row != null && !announced.contains(key)) {
        events.addAll(streamEvents(StreamEvent.TRANSACTION, row, row.finality().name()));
      }
    }
    return events;
  }

  /** What the log does to balances the history tracks, per holding. */
  private static Map<Holding, BigInteger> effects(TransactionRow row) {
    Map<Holding, BigInteger> effects = new LinkedHashMap<>();
    switch (row.txType()) {
      case MINT, BURN -> effects.put(new Holding(row.userAddress(), Asset.RBTC), row.delta());
      case WRBTC_MINT, WRBTC_BURN ->
          effects.put(new Holding(row.userAddress(), Asset.WRBTC), row.delta());
      case WRBTC_TRANSFER -> {
        effects.merge(new Holding(row.userAddress(), Asset.WRBTC), row.delta(), BigInteger::add);
        effects.merge(
            new Holding(row.counterparty(), Asset.WRBTC), row.delta().negate(), BigInteger::add);
      }
      case FEE_DEPOSIT, FEE_SPENT, FEE_WITHDRAW ->
          effects.put(new Holding(row.userAddress(), Asset.FEE_VAULT_WEI), row.delta());
      default -> {
        // Shown in the history only: Wrapped/Redeemed/Slashed move wrBTC through their Transfer
        // logs, and the rBTC balance follows the Synced logs.
      }
    }
    return effects;
  }

  /** The record's row, labelled with the batch's heights (for rows not read back). */
  private static TransactionRow labelled(Batch batch, TransactionRow row) {
    return row.withFinality(
        TxFinality.valueOf(
            batch.heldHeightsOf(row.chainId()).finalityOf(row.blockNumber()).name()));
  }

  /** The row the record describes, or null for a record this projection does not own. */
  private static ChainLog map(ChainChange change) {
    Object value = change.record().value();
    if (value instanceof SyncedEvent e) {
      return ChainEventMapper.synced(e);
    } else if (value instanceof TokenEvent e) {
      return ChainEventMapper.token(e);
    } else if (value instanceof FeeVaultEvent e) {
      return ChainEventMapper.feeVault(e);
    } else if (value instanceof EmergencyBurnEvent e) {
      return ChainEventMapper.emergencyBurn(e);
    }
    return null;
  }

  /** A row's stream events: one for its user and one for its counterparty, if another. */
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
