package com.reservebtc.gateway.projection;

import com.reservebtc.gateway.cache.ReadCache;
import com.reservebtc.gateway.stream.StreamEvent;
import com.reservebtc.gateway.stream.StreamHub;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * What the projections do once their database transaction has committed: drop the cached reads the
 * change affects, then push its stream events, in that order, so a client reacting to an event
 * reads the new state. Nothing happens if the transaction rolls back; without an active transaction
 * it happens at once.
 */
@Component
class CommittedChanges {

  private final StreamHub hub;
  private final ReadCache cache;

  CommittedChanges(StreamHub hub, ReadCache cache) {
    this.hub = hub;
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
      cache.invalidate(addresses);
      hub.publish(events);
      return;
    }
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          private boolean writing;

          @Override
          public void beforeCommit(boolean readOnly) {
            // from here until the cache is told the outcome, reads of these addresses bypass it
            cache.beginWrite(addresses);
            writing = true;
          }

          @Override
          public void afterCompletion(int status) {
            if (writing) {
              cache.endWrite(addresses);
            }
            if (status == STATUS_COMMITTED) {
              hub.publish(events);
            }
          }
        });
  }
}
