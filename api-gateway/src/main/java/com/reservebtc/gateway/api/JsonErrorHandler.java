package com.reservebtc.gateway.api;

import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns every failed request into a real HTTP error with an {@link ApiError} JSON body: 400 for
 * invalid input (with a specific code such as {@code invalid_address}), the status and code of an
 * {@link ApiException}, 404 for unknown routes, the framework's status for other client errors, and
 * 500 {@code internal_error} for anything unexpected (logged; internals are not echoed to the
 * client). Runs before Spring Boot's own handler, which would answer in a different shape.
 */
@Component
@Order(-2)
class JsonErrorHandler implements WebExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(JsonErrorHandler.class);

  private final JsonMapper json;

  JsonErrorHandler(JsonMapper json) {
    this.json = json;
  }

  @Override
  public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
    ServerHttpResponse response = exchange.getResponse();
    if (response.isCommitted()) {
      // e.g. a server-sent-event stream that already started: nothing can be written any more
      return Mono.error(ex);
    }
    HttpStatusCode status;
    ApiError body;
    if (ex instanceof BadRequestException bad) {
      status = HttpStatus.BAD_REQUEST;
      body = new ApiError(bad.code(), bad.getMessage());
    } else if (ex instanceof ApiException api) {
      status = api.status();
      body = new ApiError(api.code(), api.getMessage());
      if (api.retryAfterSeconds() != null) {
        response.getHeaders().set(HttpHeaders.RETRY_AFTER, api.retryAfterSeconds().toString());
      }
    } else if (ex instanceof ServerWebInputException input) {
      status = HttpStatus.BAD_REQUEST;
      body = new ApiError("invalid_request", input.getReason());
    } else if (ex instanceof ResponseStatusException rse) {
      status = rse.getStatusCode();
      body = new ApiError(code(status), message(exchange, rse));
    } else if (databaseUnavailable(ex)) {
      status = HttpStatus.SERVICE_UNAVAILABLE;
      log.warn(
          "request {} {}: the database is not reachable: {}",
          exchange.getRequest().getMethod(),
          exchange.getRequest().getPath(),
          ex.toString());
      response.getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
      body = new ApiError("database_unavailable", "the read model is not reachable; retry shortly");
    } else {
      status = HttpStatus.INTERNAL_SERVER_ERROR;
      log.error(
          "request {} {} failed",
          exchange.getRequest().getMethod(),
          exchange.getRequest().getPath(),
          ex);
      body =
          new ApiError(
              "internal_error", "the request failed on the server; retry later or report it");
    }
    response.setStatusCode(status);
    response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
    DataBuffer buffer = response.bufferFactory().wrap(json.writeValueAsBytes(body));
    return response.writeWith(Mono.just(buffer));
  }

  /** No connection could be had in time, or the database refused or dropped it. */
  private static boolean databaseUnavailable(Throwable ex) {
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException
          || t instanceof R2dbcTransientResourceException
          || t instanceof R2dbcNonTransientResourceException) {
        return true;
      }
    }
    return false;
  }

  private static String code(HttpStatusCode status) {
    if (status.value() == 404) {
      return "not_found";
    }
    HttpStatus known = HttpStatus.resolve(status.value());
    return known == null ? "http_" + status.value() : known.name().toLowerCase(Locale.ROOT);
  }

  private static String message(ServerWebExchange exchange, ResponseStatusException ex) {
    if (ex.getStatusCode().value() == 404) {
      return "no resource at "
          + exchange.getRequest().getMethod()
          + " "
          + exchange.getRequest().getPath().value()
          + "; see /v3/api-docs for the API";
    }
    return ex.getReason() != null ? ex.getReason() : ex.getMessage();
  }
}
