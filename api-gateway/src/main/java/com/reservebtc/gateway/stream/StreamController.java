package com.reservebtc.gateway.stream;

import com.reservebtc.gateway.GatewayProperties;
import com.reservebtc.gateway.api.EthAddress;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/realtime/stream?address=}: a server-sent-event stream of the committed changes
 * concerning one address (see {@link StreamEvent}), plus a {@code :heartbeat} comment at a fixed
 * interval so proxies keep idle connections open.
 *
 * <p>The stream starts with a {@code :connected} comment, sent only after the subscription to the
 * hub exists, so a client that saw it will receive every later change. Events before that are not
 * replayed (no {@code Last-Event-ID} support): a client reads the REST endpoints after connecting.
 * A client too slow to drain {@code rbtc.gateway.sse.buffer-size} events is disconnected rather
 * than silently skipped.
 */
@RestController
@Tag(name = "realtime")
class StreamController {

  private static final Logger log = LoggerFactory.getLogger(StreamController.class);

  private final StreamHub hub;
  private final Flux<ServerSentEvent<StreamEvent>> heartbeats;
  private final int bufferSize;

  StreamController(StreamHub hub, GatewayProperties properties) {
    this.hub = hub;
    this.bufferSize = properties.sse().bufferSize();
    // one timer for all streams rather than one per connection
    this.heartbeats =
        Flux.interval(properties.sse().heartbeat())
            .map(tick -> ServerSentEvent.<StreamEvent>builder().comment("heartbeat").build())
            .share();
  }

  @GetMapping(path = "/api/realtime/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  @Operation(
      summary = "Server-sent events of an address, labelled with finality",
      description =
          "Each message's event name is its type (transaction, finality, retracted, binding,"
              + " sync, alert, yield, dispute) and its data a StreamEvent JSON object.")
  Flux<ServerSentEvent<StreamEvent>> stream(@RequestParam(required = false) String address) {
    String user = EthAddress.parseParameter(address).value();
    Flux<ServerSentEvent<StreamEvent>> events =
        hub.eventsFor(user)
            .onBackpressureBuffer(
                bufferSize,
                overflow ->
                    log.info(
                        "closing the event stream of {}: the client fell {} events behind",
                        user,
                        bufferSize),
                BufferOverflowStrategy.ERROR)
            .map(StreamController::message);
    Mono<ServerSentEvent<StreamEvent>> connected =
        Mono.just(ServerSentEvent.<StreamEvent>builder().comment("connected").build());
    // merge subscribes in order: the hub subscription exists before "connected" is emitted
    return Flux.merge(events, heartbeats, connected).takeUntilOther(hub.closing());
  }

  private static ServerSentEvent<StreamEvent> message(StreamEvent e) {
    ServerSentEvent.Builder<StreamEvent> message =
        ServerSentEvent.<StreamEvent>builder(e).event(e.type());
    if (e.eventId() != null) {
      // alerts, states, bindings and sync steps carry no id of their own
      message.id(e.eventId() + ":" + e.finality());
    }
    return message.build();
  }
}
