package com.reservebtc.gateway.stream;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The process-wide fan-out of committed stream events to this instance's stream subscribers (SSE
 * and WebSocket), routed by address: an event is handed only to the subscribers of its address, so
 * the cost of an event does not grow with the number of open streams.
 *
 * <p>Guarantees: emission is serialized; a subscriber receives every event published after its
 * subscription is established (see {@link #eventsFor}) while its demand keeps up, in publication
 * order. Only {@link StreamRelay} publishes, in stream id order, the committed rows of every
 * replica's projections. Does not guarantee delivery by itself: a subscriber that connects later,
 * or whose buffer overflows, misses events; resuming from a stream id is the streams' job ({@link
 * StreamBacklog}).
 */
@Component
public final class StreamHub implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(StreamHub.class);

  /** The subscribers of one address; {@code refs} is changed only inside the map's compute. */
  private static final class Channel {
    final Sinks.Many<StreamMessage> sink = Sinks.many().multicast().directBestEffort();
    int refs;
  }

  private final Map<String, Channel> channels = new ConcurrentHashMap<>();
  private final AtomicInteger subscribers = new AtomicInteger();
  private final Sinks.Empty<Void> closing = Sinks.empty();
  private final Object emitLock = new Object();
  private volatile boolean running;

  StreamHub(MeterRegistry meters) {
    Gauge.builder("rbtc.gateway.sse.subscribers", subscribers, AtomicInteger::get)
        .description("Event streams (SSE and WebSocket) currently open on this instance")
        .register(meters);
  }

  /** Hands {@code events} to the current subscribers of their addresses. */
  public void publish(List<StreamMessage> events) {
    if (events.isEmpty()) {
      return;
    }
    synchronized (emitLock) {
      for (StreamMessage event : events) {
        Channel channel = channels.get(event.address());
        if (channel == null) {
          continue;
        }
        Sinks.EmitResult result = channel.sink.tryEmitNext(event);
        if (result.isFailure() && result != Sinks.EmitResult.FAIL_ZERO_SUBSCRIBER) {
          log.warn("stream event {} for {} not emitted: {}", event.type(), event.address(), result);
        }
      }
    }
  }

  /**
   * The events for {@code address}, ending when the application shuts down. The subscription to the
   * address's channel is in place when this Flux's {@code onSubscribe} has run.
   */
  public Flux<StreamMessage> eventsFor(String address) {
    return Flux.defer(
        () -> {
          Channel channel =
              channels.compute(
                  address,
                  (a, existing) -> {
                    Channel c = existing == null ? new Channel() : existing;
                    c.refs++;
                    return c;
                  });
          subscribers.incrementAndGet();
          return channel.sink.asFlux().doFinally(signal -> release(address));
        });
  }

  private void release(String address) {
    subscribers.decrementAndGet();
    channels.computeIfPresent(address, (a, c) -> --c.refs == 0 ? null : c);
  }

  /** Completes when the application begins shutting down, so open streams end cleanly. */
  public Mono<Void> closing() {
    return closing.asMono();
  }

  /** Open subscriptions on this instance. */
  public int subscriberCount() {
    return subscribers.get();
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
      channels.values().forEach(c -> c.sink.tryEmitComplete());
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
