package com.reservebtc.gateway.reserves;

import com.reservebtc.gateway.GatewayProperties;
import com.reservebtc.gateway.api.ApiException;
import io.netty.channel.ChannelOption;
import io.netty.handler.timeout.ReadTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.util.UriBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * The oracle-service's public proof-of-reserves reads at {@code rbtc.gateway.oracle-url}: a user's
 * proof (answered in full, at most 1 MiB) and a snapshot's public export (streamed through).
 * Failures to get an answer become {@link ApiException}s: 503 {@code oracle_unavailable}, 504
 * {@code oracle_timeout}, 502 {@code oracle_bad_response}. The operator-only export is never
 * reachable through here.
 */
@Component
class OracleReserves {

  /** The oracle's answer, passed through as it is. */
  record Answer(HttpStatusCode status, MediaType contentType, byte[] body) {}

  /** A streamed answer: status, type and the body as it arrives. */
  record Stream(HttpStatusCode status, MediaType contentType, Flux<DataBuffer> body) {}

  private static final int MAX_PROOF_BYTES = 1 << 20;

  private final WebClient web;
  private final Duration deadline;

  OracleReserves(GatewayProperties properties) {
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
            .codecs(c -> c.defaultCodecs().maxInMemorySize(MAX_PROOF_BYTES))
            .build();
  }

  /** {@code GET /api/reserves/proof} with the caller's address, timestamp and signature. */
  Mono<Answer> proof(String address, String timestamp, String signature, Long sequence) {
    return web.get()
        .uri(
            (UriBuilder u) -> {
              u.path("/api/reserves/proof").queryParam("address", "{a}");
              if (timestamp != null) {
                u.queryParam("timestamp", "{t}");
              }
              if (signature != null) {
                u.queryParam("signature", "{s}");
              }
              if (sequence != null) {
                u.queryParam("sequence", sequence);
              }
              return u.build(
                  java.util.Map.of(
                      "a", address,
                      "t", timestamp == null ? "" : timestamp,
                      "s", signature == null ? "" : signature));
            })
        .accept(MediaType.APPLICATION_JSON)
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
        .onErrorMap(OracleReserves::translate);
  }

  /**
   * {@code GET /api/reserves/{sequence}/export.jsonl}, streamed: the status and headers once they
   * arrive (within the response timeout), the body as the oracle writes it. An error answer keeps
   * its status and JSON body.
   */
  Mono<Stream> export(long sequence) {
    return web.get()
        .uri("/api/reserves/{sequence}/export.jsonl", sequence)
        .retrieve()
        .onStatus(status -> true, response -> Mono.empty())
        .toEntityFlux(DataBuffer.class)
        .map(
            entity ->
                new Stream(
                    entity.getStatusCode(),
                    entity.getHeaders().getContentType(),
                    entity.getBody() == null ? Flux.empty() : entity.getBody()))
        .timeout(deadline)
        .onErrorMap(OracleReserves::translate);
  }

  private static Throwable translate(Throwable e) {
    if (e instanceof TimeoutException || causedBy(e, ReadTimeoutException.class)) {
      return new ApiException(
          HttpStatus.GATEWAY_TIMEOUT,
          "oracle_timeout",
          "the oracle-service did not answer in time");
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
          "the oracle-service cannot be reached; retry later",
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
