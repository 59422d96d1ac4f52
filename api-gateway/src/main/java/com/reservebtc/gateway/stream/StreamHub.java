package com.reservebtc.gateway.stream;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The process-wide fan-out of committed read-model changes to server-sent-event subscribers.
 *
 * <p>Guarantees: a change is emitted only after the database transaction that made it has committed
 * ({@link #publishAfterCommit}), so a client never sees an event the REST API cannot show; emission
 * is serialized, so concurrent listener threads never fail each other. Does not guarantee delivery:
 * a subscriber that connects later, or whose buffer overflows (its stream is then closed), misses
 * events and must re-read the REST endpoints. Events are not shared between gateway instances: each
 * instance pushes what its own projection committed.
 */
@Component
public final class StreamHub implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(StreamHub.class);

  private final Sinks.Many<StreamEvent> sink = Sinks.many().multicast().directBestEffort();
  private final Sinks.Empty<Void> closing = Sinks.empty();
  private final Object emitLock = new Object();
  private volatile boolean running;

  StreamHub(MeterRegistry meters) {
    Gauge.builder("rbtc.gateway.sse.subscribers", sink, Sinks.Many::currentSubscriberCount)
        .description("Server-sent-event streams currently open on this instance")
        .register(meters);
  }

  /**
   * Emits {@code events} once the current transaction commits; immediately when no transaction is
   * active. Nothing is emitted if the transaction rolls back.
   */
  public void publishAfterCommit(List<StreamEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void afterCommit() {
              publish(events);
            }
          });
    } else {
      publish(events);
    }
  }

  private void publish(List<StreamEvent> events) {
    synchronized (emitLock) {
      for (StreamEvent event : events) {
        Sinks.EmitResult result = sink.tryEmitNext(event);
        if (result.isFailure() && result != Sinks.EmitResult.FAIL_ZERO_SUBSCRIBER) {
          log.warn("stream event {} for {} not emitted: {}", event.type(), event.address(), result);
        }
      }
    }
  }

  /** The events for {@code address}, ending when the application shuts down. */
  public Flux<StreamEvent> eventsFor(String address) {
    return sink.asFlux().filter(e -> address.equals(e.address()));
  }

  /** Completes when the application begins shutting down, so open streams end cleanly. */
  public Mono<Void> closing() {
    return closing.asMono();
  }

  /** Open subscriptions on this instance. */
  public int subscriberCount() {
    return sink.currentSubscriberCount();
  }

  @Override
  public void start() {
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    closing.tryEmitEmpty();
    synchronized (emitLock) {
      sink.tryEmitComplete();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /**
   * Stops before the web server's graceful shutdown, which would otherwise wait for open streams.
   */
  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE;
  }
}
