package com.reservebtc.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import com.reservebtc.gateway.GatewayProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Period;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class RateLimitFilterTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final AtomicInteger passed = new AtomicInteger();
  private final WebFilterChain counting =
      exchange -> {
        passed.incrementAndGet();
        return Mono.empty();
      };

  static GatewayProperties properties(
      double rate, int burst, int streamsPerClient, int maxStreams, List<String> proxies) {
    return new GatewayProperties(
        new GatewayProperties.Cors(List.of("*")),
        new GatewayProperties.Sse(Duration.ofSeconds(15), 256),
        new GatewayProperties.SyncStatus(Duration.ofMinutes(10)),
        new GatewayProperties.Snapshots("0 10 0 * * *", Period.ofDays(90)),
        new GatewayProperties.Cache(Duration.ofSeconds(5), 1000),
        new GatewayProperties.RateLimit(
            true, rate, burst, proxies, 1000, Duration.ofSeconds(60), streamsPerClient, maxStreams),
        URI.create("http://127.0.0.1:8082"),
        new GatewayProperties.Forwarding(
            Duration.ofSeconds(2),
            Duration.ofSeconds(30),
            DataSize.ofKilobytes(16),
            DataSize.ofMegabytes(1),
            DataSize.ofKilobytes(64)));
  }

  private RateLimitFilter filter(double rate, int burst, int streamsPerClient, int maxStreams) {
    return new RateLimitFilter(
        properties(rate, burst, streamsPerClient, maxStreams, List.of("127.0.0.1")), JSON, meters);
  }

  private static MockServerWebExchange get(String path, String client) {
    return MockServerWebExchange.from(
        MockServerHttpRequest.get(path)
            .remoteAddress(new InetSocketAddress("127.0.0.1", 50000))
            .header(ClientAddresses.FORWARDED_FOR, client));
  }

  private static JsonNode body(MockServerWebExchange exchange) {
    String text = exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(5));
    return JSON.readTree(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void refusesRequestsBeyondTheBurstWith429RetryAfterAndAJsonBody() {
    RateLimitFilter filter = filter(0.5, 3, 8, 100);
    for (int i = 0; i < 3; i++) {
      MockServerWebExchange ok = get("/api/realtime/balances", "198.51.100.1");
      filter.filter(ok, counting).block(Duration.ofSeconds(5));
      assertThat(ok.getResponse().getStatusCode()).isNull();
    }
    MockServerWebExchange refused = get("/api/realtime/balances", "198.51.100.1");
    filter.filter(refused, counting).block(Duration.ofSeconds(5));

    assertThat(passed).hasValue(3);
    assertThat(refused.getResponse().getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
    // one token per 2 s
    assertThat(refused.getResponse().getHeaders().getFirst("Retry-After")).isEqualTo("2");
    JsonNode error = body(refused);
    assertThat(error.get("error").asString()).isEqualTo("rate_limited");
    assertThat(error.get("message").asString()).contains("0.5 requests per second");
    assertThat(
            meters.get("rbtc.gateway.rate_limit.refused").tag("reason", "rate").counter().count())
        .isEqualTo(1);

    // another client behind the same trusted proxy has its own bucket
    MockServerWebExchange other = get("/api/realtime/balances", "198.51.100.2");
    filter.filter(other, counting).block(Duration.ofSeconds(5));
    assertThat(other.getResponse().getStatusCode()).isNull();
  }

  @Test
  void actuatorAndNonApiPathsAreNotLimited() {
    RateLimitFilter filter = filter(1, 1, 8, 100);
    for (int i = 0; i < 5; i++) {
      filter.filter(get("/actuator/health/readiness", "198.51.100.3"), counting).block();
    }
    assertThat(passed).hasValue(5);
  }

  @Test
  void capsConcurrentStreamsPerClientAndFreesTheSlotWhenAStreamEnds() {
    RateLimitFilter filter = filter(100, 100, 2, 100);
    Sinks.Empty<Void> firstStream = Sinks.empty();
    Sinks.Empty<Void> secondStream = Sinks.empty();
    filter
        .filter(get("/api/realtime/stream", "198.51.100.4"), e -> firstStream.asMono())
        .subscribe();
    filter
        .filter(get("/api/realtime/stream", "198.51.100.4"), e -> secondStream.asMono())
        .subscribe();
    assertThat(filter.openStreams()).isEqualTo(2);

    MockServerWebExchange third = get("/api/realtime/stream", "198.51.100.4");
    filter.filter(third, counting).block(Duration.ofSeconds(5));
    assertThat(third.getResponse().getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
    assertThat(third.getResponse().getHeaders().getFirst("Retry-After")).isEqualTo("5");
    assertThat(body(third).get("error").asString()).isEqualTo("too_many_streams");

    // plain requests of the same client are not affected by its open streams
    MockServerWebExchange plain = get("/api/realtime/balances", "198.51.100.4");
    filter.filter(plain, counting).block(Duration.ofSeconds(5));
    assertThat(plain.getResponse().getStatusCode()).isNull();

    firstStream.tryEmitEmpty();
    assertThat(filter.openStreams()).isEqualTo(1);
    MockServerWebExchange again = get("/api/realtime/stream", "198.51.100.4");
    Sinks.Empty<Void> thirdStream = Sinks.empty();
    filter.filter(again, e -> thirdStream.asMono()).subscribe().dispose(); // a client disconnect
    assertThat(again.getResponse().getStatusCode()).isNull();
    assertThat(filter.openStreams()).isEqualTo(1);
  }

  @Test
  void refusesStreamsBeyondTheInstanceCapWith503() {
    RateLimitFilter filter = filter(100, 100, 8, 1);
    filter.filter(get("/api/realtime/stream", "198.51.100.5"), e -> Mono.never()).subscribe();
    MockServerWebExchange refused = get("/api/realtime/stream", "198.51.100.6");
    filter.filter(refused, counting).block(Duration.ofSeconds(5));
    assertThat(refused.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    assertThat(body(refused).get("error").asString()).isEqualTo("stream_capacity");
    assertThat(refused.getResponse().getHeaders().getFirst("Retry-After")).isEqualTo("5");
  }
}
