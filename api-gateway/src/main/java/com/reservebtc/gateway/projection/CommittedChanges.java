package com.reservebtc.gateway.projection;

import com.reservebtc.gateway.cache.ReadCache;
import com.reservebtc.gateway.stream.StreamEvent;
import com.reservebtc.gateway.stream.StreamLog;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * What the projections do with their database transaction's changes: append the change's stream
 * events to the shared stream ({@link StreamLog}) inside the transaction, and keep this instance's
 * cached reads of the affected addresses from outliving the commit. The events reach the streams of
 * every replica (this one included) through the stream relay, after the commit; nothing is appended
 * if the transaction rolls back. Must be called inside the projection's transaction.
 *
 * <p>All changes registered in one transaction (a consumed batch: its chain logs and then its other
 * records one by one) are collected and appended by one {@link StreamLog#append} call just before
 * the commit, in registration order: one insert, one notification and the shortest hold of the
 * stream's id lock per batch, however many records of the batch produced events.
 */
@Component
class CommittedChanges {

  private final StreamLog streamLog;
  private final ReadCache cache;

  CommittedChanges(StreamLog streamLog, ReadCache cache) {
    this.streamLog = streamLog;
    this.cache = cache;
  }

  /** The change concerns the addresses of {@code events} (and system-wide aggregates). */
  void afterCommit(List<StreamEvent> events) {
    afterCommit(events, List.of());
  }

  /** The change concerns the addresses of {@code events}, {@code alsoChanged} and aggregates. */
  void afterCommit(List<StreamEvent> events, Collection<String> alsoChanged) {
    Pending pending = pending();
    pending.addresses.addAll(alsoChanged);
    for (StreamEvent event : events) {
      pending.addresses.add(event.address());
    }
    pending.events.addAll(events);
  }

  /** The change may concern any address (e.g. a Bitcoin address moved to another owner). */
  void afterCommitAffectingAll(List<StreamEvent> events) {
    Pending pending = pending();
    pending.addresses.add(ReadCache.ALL);
    pending.events.addAll(events);
  }

  /** This transaction's collected changes, registered with it on first use. */
  private Pending pending() {
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      throw new IllegalStateException(
          "projection changes must be registered inside the projection's transaction");
    }
    // found among the transaction's synchronizations (not a thread-bound resource), so a
    // transaction suspended for another one keeps its own changes
    for (TransactionSynchronization registered :
        TransactionSynchronizationManager.getSynchronizations()) {
      if (registered instanceof Pending pending && pending.owner() == this) {
        return pending;
      }
    }
    Pending pending = new Pending();
    TransactionSynchronizationManager.registerSynchronization(pending);
    return pending;
  }

  private final class Pending implements TransactionSynchronization {
    private final List<StreamEvent> events = new ArrayList<>();
    private final Set<String> addresses = new LinkedHashSet<>();
    private List<String> writing;

    CommittedChanges owner() {
      return CommittedChanges.this;
    }

    @Override
    public void beforeCommit(boolean readOnly) {
      // Appended as the last work of the transaction: the stream's id lock is then held only for
      // the commit itself. A failure here rolls the whole transaction back.
      streamLog.append(events);
      // from here until the cache is told the outcome, reads of these addresses bypass it
      writing = List.copyOf(addresses);
      cache.beginWrite(writing);
    }

    @Override
    public void afterCompletion(int status) {
      if (writing != null) {
        cache.endWrite(writing);
      }
    }
  }
}
