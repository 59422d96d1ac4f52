package com.reservebtc.gateway.stream;

import com.reservebtc.gateway.GatewayProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One address's stream as both transports (SSE and WebSocket) serve it: the subscription to the hub
 * comes first, then the start ({@link StreamBacklog}: the missed events or a reset), then the live
 * events above everything already sent ({@link ResumeGate}).
 *
 * <p>Guarantees: no gap and no duplicate between the backlog and live events, in id order; a client
 * too slow to drain {@code rbtc.gateway.sse.buffer-size} live events gets an overflow error (its
 * transport closes the connection) rather than silently missing events: on reconnect with its last
 * id it resumes. The stream completes when the application shuts down.
 */
@Component
final class AddressStreams {

  private static final Logger log = LoggerFactory.getLogger(AddressStreams.class);

  private final StreamHub hub;
  private final StreamBacklog backlog;
  private final int bufferSize;
  private final Flux<Long> heartbeats;

  AddressStreams(StreamHub hub, StreamBacklog backlog, GatewayProperties properties) {
    this.hub = hub;
    this.backlog = backlog;
    this.bufferSize = properties.sse().bufferSize();
    // one timer for all streams rather than one per connection
    this.heartbeats = Flux.interval(properties.sse().heartbeat()).share();
  }

  /**
   * The events of {@code address} after {@code lastEventId} (null: from now on). The hub
   * subscription is in place once this Flux's subscription has been made.
   */
  Flux<StreamMessage> open(String address, String lastEventId) {
    return Flux.defer(
        () -> {
          ResumeGate gate = new ResumeGate(bufferSize);
          Flux<Signal> live =
              hub.eventsFor(address)
                  .onBackpressureBuffer(
                      bufferSize,
                      overflow ->
                          log.info(
                              "closing the event stream of {}: the client fell {} events behind",
                              address,
                              bufferSize),
                      BufferOverflowStrategy.ERROR)
                  .map(Signal::live);
          Flux<Signal> start =
              backlog
                  .start(address, lastEventId)
                  .flatMapMany(
                      s ->
                          Flux.fromIterable(s.events())
                              .map(Signal::start)
                              .concatWith(Mono.just(Signal.opened(s.after()))));
          // merge subscribes in order: the hub subscription exists before the backlog is read
          return Flux.merge(live, start)
              .concatMapIterable(
                  signal ->
                      switch (signal.kind()) {
                        case LIVE -> gate.live(signal.message());
                        case START -> gate.start(signal.message());
                        case OPENED -> gate.open(signal.after());
                      });
        });
  }

  /** A tick every {@code rbtc.gateway.sse.heartbeat}, shared by all streams. */
  Flux<Long> heartbeats() {
    return heartbeats;
  }

  /** Completes when the application begins shutting down. */
  Mono<Void> closing() {
    return hub.closing();
  }

  private record Signal(Kind kind, StreamMessage message, long after) {

    enum Kind {
      LIVE,
      START,
      OPENED
    }

    static Signal live(StreamMessage message) {
      return new Signal(Kind.LIVE, message, 0);
    }

    static Signal start(StreamMessage message) {
      return new Signal(Kind.START, message, 0);
    }

    static Signal opened(long after) {
      return new Signal(Kind.OPENED, null, after);
    }
  }
}
