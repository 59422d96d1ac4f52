package com.reservebtc.gateway.ratelimit;

import com.reservebtc.gateway.GatewayProperties;
import com.reservebtc.gateway.api.ApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;

/**
 * The concurrent event-stream caps, shared by every stream transport: at most {@code
 * rbtc.gateway.rate-limit.streams-per-client} open streams per client and {@code max-streams} per
 * instance, SSE and WebSocket streams counted together. The SSE stream takes its slot in {@link
 * RateLimitFilter} (its response ends when the stream ends); the WebSocket stream takes it itself,
 * because its session outlives the handshake's response.
 */
@Component
public final class StreamAdmission {

  /** A granted stream slot; {@link #release} frees it, once however often it is called. */
  public interface Lease {
    void release();
  }

  /** A stream slot frees when some stream ends, which cannot be predicted; retry after this. */
  static final long RETRY_AFTER_SECONDS = 5;

  private static final Lease UNLIMITED = () -> {};

  private final boolean enabled;
  private final ClientAddresses clients;
  private final StreamSlots slots;
  private final GatewayProperties.RateLimit settings;
  private final Counter limitedClientStreams;
  private final Counter limitedServerStreams;

  StreamAdmission(GatewayProperties properties, MeterRegistry meters) {
    this.settings = properties.rateLimit();
    this.enabled = settings.enabled();
    this.clients = new ClientAddresses(settings.trustedProxies());
    this.slots = new StreamSlots(settings.streamsPerClient(), settings.maxStreams());
    this.limitedClientStreams = RateLimitFilter.refused(meters, "client_streams");
    this.limitedServerStreams = RateLimitFilter.refused(meters, "server_streams");
  }

  /**
   * Takes a stream slot for the client of {@code request}.
   *
   * @throws ApiException 429 {@code too_many_streams} or 503 {@code stream_capacity}, with a
   *     Retry-After
   */
  public Lease acquire(ServerHttpRequest request) {
    return enabled ? acquire(clients.clientKey(request)) : UNLIMITED;
  }

  Lease acquire(String client) {
    return switch (slots.tryAcquire(client)) {
      case GRANTED -> {
        AtomicBoolean released = new AtomicBoolean();
        yield () -> {
          if (released.compareAndSet(false, true)) {
            slots.release(client);
          }
        };
      }
      case CLIENT_LIMIT -> {
        limitedClientStreams.increment();
        throw new ApiException(
            HttpStatus.TOO_MANY_REQUESTS,
            "too_many_streams",
            "this client already has "
                + settings.streamsPerClient()
                + " event streams open; close one (one stream carries all events of an address)",
            RETRY_AFTER_SECONDS);
      }
      case SERVER_LIMIT -> {
        limitedServerStreams.increment();
        throw new ApiException(
            HttpStatus.SERVICE_UNAVAILABLE,
            "stream_capacity",
            "this gateway instance holds its maximum of "
                + settings.maxStreams()
                + " event streams; retry later",
            RETRY_AFTER_SECONDS);
      }
    };
  }

  /** Open event streams of this instance, as counted by the caps. */
  int open() {
    return slots.open();
  }
}
