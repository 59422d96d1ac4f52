package com.reservebtc.gateway.stream;

import com.reservebtc.gateway.api.EthAddress;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/realtime/stream?address=}: the server-sent-event stream of the committed changes
 * concerning one address (see {@link StreamEvent}), plus a {@code :heartbeat} comment at a fixed
 * interval so proxies keep idle connections open.
 *
 * <p>Every event carries {@code id:} = its stream id. The stream starts with a {@code :connected}
 * comment, sent once the subscription to live events exists. A client that reconnects with {@code
 * Last-Event-ID} (the header, which the browser's EventSource sends by itself, or the {@code
 * lastEventId} query parameter) receives first the events of its address after that id, then live
 * events, without a gap or a duplicate, from any replica; an id that cannot be resumed gets a
 * {@code reset} event first ({@link StreamBacklog}). A client too slow to drain {@code
 * rbtc.gateway.sse.buffer-size} events is disconnected rather than silently skipped; it resumes
 * when it reconnects.
 */
@RestController
@Tag(name = "realtime")
class StreamController {

  static final String PATH = "/api/realtime/stream";

  static final String DESCRIPTION =
      "Each message's event name is its type (transaction, finality, retracted, binding, sync,"
          + " alert, yield, dispute) and its data a StreamEvent JSON object; its id is the"
          + " event's stream id, which orders the events. Reconnecting with Last-Event-ID (header"
          + " or lastEventId parameter) first delivers every event of the address after that id,"
          + " then live events, with no gap and no duplicate, from any gateway replica. An id that"
          + " cannot be resumed (malformed, older than the retained events, unknown, or more than"
          + " rbtc.gateway.stream.max-backlog events behind) gets a 'reset' event whose data names"
          + " the reason: re-read the REST endpoints, then continue with the events after it (its"
          + " id is a valid resume point).";

  private final AddressStreams streams;

  StreamController(AddressStreams streams) {
    this.streams = streams;
  }

  @GetMapping(path = PATH, produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  @Operation(
      summary = "Server-sent events of an address, labelled with finality, resumable",
      description = DESCRIPTION)
  Flux<ServerSentEvent<String>> stream(
      @RequestParam(required = false) String address,
      @Parameter(description = "the id of the last event received (if Last-Event-ID is not sent)")
          @RequestParam(required = false)
          String lastEventId,
      @Parameter(description = "the id of the last event received; sent by EventSource itself")
          @RequestHeader(name = "Last-Event-ID", required = false)
          String lastEventIdHeader) {
    String user = EthAddress.parseParameter(address).value();
    String resumeFrom = lastEventIdHeader != null ? lastEventIdHeader : lastEventId;
    Flux<ServerSentEvent<String>> events =
        streams.open(user, resumeFrom).map(StreamController::message);
    Flux<ServerSentEvent<String>> heartbeats =
        streams
            .heartbeats()
            .map(tick -> ServerSentEvent.<String>builder().comment("heartbeat").build());
    Mono<ServerSentEvent<String>> connected =
        Mono.just(ServerSentEvent.<String>builder().comment("connected").build());
    // merge subscribes in order: the hub subscription exists before "connected" is emitted
    return Flux.merge(events, heartbeats, connected).takeUntilOther(streams.closing());
  }

  private static ServerSentEvent<String> message(StreamMessage m) {
    // String data is written as it is: the stored StreamEvent JSON
    return ServerSentEvent.builder(m.json()).id(Long.toString(m.id())).event(m.type()).build();
  }
}
