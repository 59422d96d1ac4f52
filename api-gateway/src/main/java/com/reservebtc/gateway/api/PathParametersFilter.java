package com.reservebtc.gateway.api;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Refuses paths with {@code ;} parameters ({@code /balances;jsessionid=1}): the API has none, and
 * Spring would otherwise match such a path to the endpoint without them and answer 200 to a request
 * that names no endpoint of ours. Answered with 400 {@code invalid_path}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class PathParametersFilter implements WebFilter {

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    String raw = exchange.getRequest().getURI().getRawPath();
    if (raw != null && (raw.indexOf(';') >= 0 || raw.toLowerCase().contains("%3b"))) {
      return Mono.error(
          new ApiException(
              HttpStatus.BAD_REQUEST,
              "invalid_path",
              "the path must not carry ';' parameters: no endpoint of this API takes them"));
    }
    return chain.filter(exchange);
  }
}
