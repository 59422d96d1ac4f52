package com.reservebtc.gateway.projection;

import com.reservebtc.gateway.cache.ReadCache;
import com.reservebtc.gateway.stream.StreamEvent;
import com.reservebtc.gateway.stream.StreamLog;
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
    Set<String> addresses = new LinkedHashSet<>(alsoChanged);
    for (StreamEvent event : events) {
      addresses.add(event.address());
    }
    register(List.copyOf(addresses), events);
  }

  /** The change may concern any address (e.g. a Bitcoin address moved to another owner). */
  void afterCommitAffectingAll(List<StreamEvent> events) {
    register(List.of(ReadCache.ALL), events);
  }

  private void register(List<String> addresses, List<StreamEvent> events) {
    if (!TransactionSynchronizationManager.isSynchronizationActive()) {
      throw new IllegalStateException(
          "projection changes must be registered inside the projection's transaction");
    }
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          private boolean writing;

          @Override
          public void beforeCommit(boolean readOnly) {
            // Appended as the last work of the transaction: the stream's id lock is then held
            // only for the commit itself. A failure here rolls the whole transaction back.
            streamLog.append(events);
            // from here until the cache is told the outcome, reads of these addresses bypass it
            cache.beginWrite(addresses);
            writing = true;
          }

          @Override
          public void afterCompletion(int status) {
            if (writing) {
              cache.endWrite(addresses);
            }
          }
        });
  }
}
