package com.reservebtc.gateway.api;

import com.reservebtc.gateway.GatewayProperties;
import com.reservebtc.gateway.binding.BindingWriteController;
import java.time.Clock;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsWebFilter;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;

/** Web-level settings of the API: CORS and the clock responses are stamped with. */
@Configuration(proxyBeanMethods = false)
class ApiConfiguration {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  /**
   * Browsers may read (GET) the API from the configured origins, and POST to its binding write
   * paths; nothing else is allowed cross-origin because the API has nothing else. An empty origin
   * list disables CORS. Runs before the rate limiter, so a browser can read its 429.
   */
  @Bean
  @Order(Ordered.HIGHEST_PRECEDENCE + 10)
  CorsWebFilter corsWebFilter(GatewayProperties properties) {
    UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
    List<String> origins = properties.cors().allowedOrigins();
    if (!origins.isEmpty()) {
      CorsConfiguration write = new CorsConfiguration();
      write.setAllowedOriginPatterns(origins);
      write.setAllowedMethods(List.of("POST"));
      write.setAllowedHeaders(List.of("*"));
      write.setMaxAge(3600L);
      // registered first: the first matching pattern wins
      source.registerCorsConfiguration(BindingWriteController.PATH, write);
      source.registerCorsConfiguration(BindingWriteController.UNBIND_PATH, write);
      CorsConfiguration cors = new CorsConfiguration();
      cors.setAllowedOriginPatterns(origins);
      cors.setAllowedMethods(List.of("GET", "HEAD"));
      cors.setAllowedHeaders(List.of("*"));
      cors.setMaxAge(3600L);
      source.registerCorsConfiguration("/api/**", cors);
      source.registerCorsConfiguration("/v3/api-docs/**", cors);
      source.registerCorsConfiguration("/v3/api-docs.yaml", cors);
    }
    return new CorsWebFilter(source);
  }
}
