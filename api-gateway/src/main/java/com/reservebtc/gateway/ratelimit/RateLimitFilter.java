package com.reservebtc.gateway.ratelimit;

import com.reservebtc.gateway.GatewayProperties;
import com.reservebtc.gateway.api.ApiError;
import com.reservebtc.gateway.api.ApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.TimeUnit;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Per-client limits of the API ({@code /api/**}): every request, including the one that opens an
 * event stream, takes a token from the client's bucket ({@code rbtc.gateway.rate-limit.*}); an open
 * stream holds none but counts against the client's concurrent stream cap and the instance's
 * ({@link StreamAdmission}; the WebSocket stream takes its slot itself). A refused request gets
 * {@code 429} (or {@code 503} when the instance is out of stream slots) with a {@code Retry-After}
 * header in seconds and an {@link ApiError} body. Actuator endpoints are not limited. Runs after
 * the CORS filter, so browsers can read the 429.
 */
@Component
@Order(RateLimitFilter.ORDER)
class RateLimitFilter implements WebFilter {

  /** After {@code ApiConfiguration}'s CORS filter. */
  static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

  static final String STREAM_PATH = "/api/realtime/stream";

  private final boolean enabled;
  private final ClientAddresses clients;
  private final RateLimiter limiter;
  private final StreamAdmission streams;
  private final GatewayProperties.RateLimit settings;
  private final JsonMapper json;
  private final Counter limitedRequests;

  RateLimitFilter(
      GatewayProperties properties,
      StreamAdmission streams,
      JsonMapper json,
      MeterRegistry meters) {
    this.settings = properties.rateLimit();
    this.enabled = settings.enabled();
    this.clients = new ClientAddresses(settings.trustedProxies());
    this.limiter =
        new RateLimiter(
            settings.requestsPerSecond(),
            settings.burst(),
            settings.maxClients(),
            System::nanoTime);
    this.streams = streams;
    this.json = json;
    this.limitedRequests = refused(meters, "rate");
    Gauge.builder("rbtc.gateway.rate_limit.clients", limiter, RateLimiter::clients)
        .description("Clients with a token bucket (idle ones are evicted)")
        .register(meters);
  }

  static Counter refused(MeterRegistry meters, String reason) {
    return Counter.builder("rbtc.gateway.rate_limit.refused")
        .description("Requests refused by the per-client limits, by reason")
        .tag("reason", reason)
        .register(meters);
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    ServerHttpRequest request = exchange.getRequest();
    String path = request.getPath().pathWithinApplication().value();
    if (!enabled || !path.startsWith("/api/")) {
      return chain.filter(exchange);
    }
    String client = clients.clientKey(request);
    long waitNanos = limiter.acquire(client);
    if (waitNanos > 0) {
      limitedRequests.increment();
      long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
      return refuse(
          exchange,
          HttpStatus.TOO_MANY_REQUESTS,
          seconds,
          new ApiError(
              "rate_limited",
              "more than "
                  + rate()
                  + " requests per second (bursts of "
                  + settings.burst()
                  + ") from this client; retry after "
                  + seconds
                  + " s"));
    }
    if (!(HttpMethod.GET.equals(request.getMethod()) && STREAM_PATH.equals(path))) {
      return chain.filter(exchange);
    }
    return Mono.defer(
        () -> {
          StreamAdmission.Lease lease;
          try {
            lease = streams.acquire(client);
          } catch (ApiException refused) {
            return refuse(
                exchange,
                refused.status(),
                refused.retryAfterSeconds(),
                new ApiError(refused.code(), refused.getMessage()));
          }
          return chain.filter(exchange).doFinally(signal -> lease.release());
        });
  }

  private String rate() {
    double r = settings.requestsPerSecond();
    return r == Math.rint(r) ? Long.toString((long) r) : Double.toString(r);
  }

  private Mono<Void> refuse(
      ServerWebExchange exchange, HttpStatus status, long retryAfterSeconds, ApiError body) {
    ServerHttpResponse response = exchange.getResponse();
    response.setStatusCode(status);
    response.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
    response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
    return response.writeWith(
        Mono.fromSupplier(() -> response.bufferFactory().wrap(json.writeValueAsBytes(body))));
  }

  /** Drops the buckets of idle clients ({@code rbtc.gateway.rate-limit.idle-eviction}). */
  @Scheduled(
      fixedDelayString = "${rbtc.gateway.rate-limit.idle-eviction:60s}",
      timeUnit = TimeUnit.MILLISECONDS)
  void evictIdleClients() {
    limiter.evictIdle();
  }

  /** Open event streams of this instance, as counted by the stream caps. */
  int openStreams() {
    return streams.open();
  }
}
