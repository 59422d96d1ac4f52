package com.reservebtc.gateway.binding;

import com.reservebtc.gateway.GatewayProperties;
import com.reservebtc.gateway.api.ApiException;
import io.netty.channel.ChannelOption;
import io.netty.handler.timeout.ReadTimeoutException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * The oracle-service's binding API ({@code POST /api/bindings} and {@code DELETE
 * /api/bindings/{btcAddress}} at {@code rbtc.gateway.oracle-url}), with a connect timeout, a
 * deadline for the whole exchange and a size limit on the response. Failures to get an answer
 * become {@link ApiException}s: 503 {@code oracle_unavailable} when the oracle cannot be reached,
 * 504 {@code oracle_timeout} when it does not answer in time, 502 {@code oracle_bad_response} for
 * an oversized answer. Not retried: binding is not guaranteed idempotent from the gateway's point
 * of view (a retry after a timeout could report "already bound").
 */
@Component
class OracleClient {

  /** The oracle's answer, passed through as it is. */
  record Answer(HttpStatusCode status, MediaType contentType, byte[] body) {}

  private final WebClient web;
  private final Duration deadline;

  OracleClient(GatewayProperties properties) {
    GatewayProperties.Forwarding limits = properties.forwarding();
    this.deadline = limits.responseTimeout();
    HttpClient http =
        HttpClient.create()
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) limits.connectTimeout().toMillis())
            .responseTimeout(limits.responseTimeout());
    this.web =
        WebClient.builder()
            .baseUrl(properties.oracleUrl().toString())
            .clientConnector(new ReactorClientHttpConnector(http))
            .codecs(
                c -> c.defaultCodecs().maxInMemorySize((int) limits.maxResponseSize().toBytes()))
            .build();
  }

  Mono<Answer> bind(byte[] json) {
    return exchange(web.post().uri("/api/bindings"), json);
  }

  /** {@code DELETE /api/bindings/{btcAddress}} with the signed unbind request as its body. */
  Mono<Answer> unbind(String btcAddress, byte[] json) {
    return exchange(web.method(HttpMethod.DELETE).uri("/api/bindings/{btc}", btcAddress), json);
  }

  private Mono<Answer> exchange(WebClient.RequestBodySpec request, byte[] json) {
    return request
        .contentType(MediaType.APPLICATION_JSON)
        .accept(MediaType.APPLICATION_JSON)
        .bodyValue(json)
        .exchangeToMono(
            response ->
                response
                    .bodyToMono(byte[].class)
                    .defaultIfEmpty(new byte[0])
                    .map(
                        body ->
                            new Answer(
                                response.statusCode(),
                                response.headers().contentType().orElse(null),
                                body)))
        .timeout(deadline)
        .onErrorMap(OracleClient::translate);
  }

  private static Throwable translate(Throwable e) {
    if (e instanceof TimeoutException || causedBy(e, ReadTimeoutException.class)) {
      return new ApiException(
          HttpStatus.GATEWAY_TIMEOUT,
          "oracle_timeout",
          "the oracle-service did not answer in time; the binding may or may not have been"
              + " recorded: check GET /api/realtime/bitcoin-addresses before retrying");
    }
    if (e instanceof DataBufferLimitException) {
      return new ApiException(
          HttpStatus.BAD_GATEWAY,
          "oracle_bad_response",
          "the oracle-service answered with an oversized body");
    }
    if (e instanceof WebClientRequestException) {
      return new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "oracle_unavailable",
          "the oracle-service cannot be reached"
              + (causedBy(e, ConnectException.class) ? " (connection refused)" : "")
              + "; retry later",
          5L);
    }
    return e;
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
