package com.reservebtc.gateway.stream;

import com.reservebtc.gateway.GatewayProperties;
import com.reservebtc.gateway.api.ApiException;
import com.reservebtc.gateway.api.EthAddress;
import com.reservebtc.gateway.ratelimit.StreamAdmission;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/realtime/stream/ws?address=…[&lastEventId=…]}: the same per-address stream as
 * {@link StreamController} over a WebSocket, for clients that cannot use server-sent events. Same
 * events, ids and resume rule (including {@code reset}); one JSON text frame per event, {@code
 * {"id":…,"event":type,"data":{…}}}, a first {@code {"event":"connected"}} frame once live events
 * are subscribed and a {@code {"event":"heartbeat"}} frame at the SSE heartbeat interval. Messages
 * from the client are ignored.
 *
 * <p>Limits as for SSE: the handshake takes a token of the client's rate limit (the filter) and a
 * stream slot ({@link StreamAdmission}), held until the session ends; a client too slow to drain
 * {@code rbtc.gateway.sse.buffer-size} events is disconnected (close code 1008) and resumes when it
 * reconnects with its last id. Browsers do not apply CORS to WebSockets, so the handshake's {@code
 * Origin}, when it names another origin, must match {@code rbtc.gateway.cors.allowed-origins}
 * ({@code 403 origin_not_allowed} otherwise; an empty list refuses every cross-origin page).
 * Clients that send no {@code Origin} (not browsers) are not restricted by it.
 */
@RestController
@Tag(name = "realtime")
class StreamWebSocketController {

  private static final Logger log = LoggerFactory.getLogger(StreamWebSocketController.class);

  static final String PATH = "/api/realtime/stream/ws";

  static final String CONNECTED = "{\"event\":\"connected\"}";
  static final String HEARTBEAT = "{\"event\":\"heartbeat\"}";

  private static final CloseStatus TOO_SLOW =
      CloseStatus.POLICY_VIOLATION.withReason("too slow: fell behind the event buffer; resume");

  private final AddressStreams streams;
  private final StreamAdmission admission;
  private final CorsConfiguration origins;
  private final WebSocketService handshake = new HandshakeWebSocketService();

  StreamWebSocketController(
      AddressStreams streams, StreamAdmission admission, GatewayProperties properties) {
    this.streams = streams;
    this.admission = admission;
    this.origins = new CorsConfiguration();
    this.origins.setAllowedOriginPatterns(properties.cors().allowedOrigins());
  }

  @GetMapping(PATH)
  @Operation(
      summary = "The event stream of an address over a WebSocket",
      description =
          "Upgrade to a WebSocket. Text frames: {\"event\":\"connected\"} once subscribed, then"
              + " one {\"id\":<stream id>,\"event\":<type>,\"data\":<StreamEvent>} per event"
              + " (the same events, ids and types as the SSE stream, including 'reset'), and"
              + " {\"event\":\"heartbeat\"} at the heartbeat interval. Resume with lastEventId"
              + " as on the SSE stream. A browser page's Origin must be one of the allowed CORS"
              + " origins. Counts against the same per-client and per-instance stream limits"
              + " as SSE; a client too slow to read is closed with code 1008.")
  Mono<Void> connect(
      @RequestParam(required = false) String address,
      @Parameter(description = "the id of the last event received; omit for live events only")
          @RequestParam(required = false)
          String lastEventId,
      ServerWebExchange exchange) {
    String user = EthAddress.parseParameter(address).value();
    checkOrigin(exchange.getRequest());
    StreamAdmission.Lease lease = admission.acquire(exchange.getRequest());
    return handshake
        .handleRequest(
            exchange,
            session -> session(session, user, lastEventId).doFinally(signal -> lease.release()))
        .doOnError(failed -> lease.release())
        .doOnCancel(lease::release);
  }

  private void checkOrigin(ServerHttpRequest request) {
    String origin = request.getHeaders().getOrigin();
    if (origin == null || !CorsUtils.isCorsRequest(request)) {
      return;
    }
    if (origins.checkOrigin(origin) == null) {
      throw new ApiException(
          HttpStatus.FORBIDDEN,
          "origin_not_allowed",
          "pages from " + origin + " may not open this gateway's event stream");
    }
  }

  private Mono<Void> session(WebSocketSession session, String user, String lastEventId) {
    Flux<String> frames =
        Flux.merge(
                streams.open(user, lastEventId).map(StreamWebSocketController::frame),
                streams.heartbeats().map(tick -> HEARTBEAT),
                Mono.just(CONNECTED))
            .takeUntilOther(streams.closing());
    Flux<WebSocketMessage> out =
        frames.map(session::textMessage).takeUntilOther(session.receive().then());
    return session
        .send(out)
        .onErrorResume(
            failed -> {
              log.info("closing the WebSocket event stream of {}: {}", user, failed.toString());
              return session.close(TOO_SLOW);
            });
  }

  /** {@code {"id":…,"event":…,"data":…}}: the stored JSON is embedded as it is. */
  static String frame(StreamMessage m) {
    return "{\"id\":" + m.id() + ",\"event\":\"" + m.type() + "\",\"data\":" + m.json() + "}";
  }
}
