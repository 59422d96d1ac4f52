package com.reservebtc.gateway.db;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Derives the R2DBC URL of the read side from the JDBC URL of the write side, so that one setting
 * ({@code spring.datasource.url}) configures both connections to the same database.
 *
 * <p>Supports single-host {@code jdbc:postgresql://host[:port]/database[?params]} URLs. Of the
 * query parameters only those both drivers understand are carried over ({@link #CARRIED}); the rest
 * are reported by {@link Derived#dropped()} so the caller can say so. Anything else (several hosts,
 * other databases) needs an explicit {@code spring.r2dbc.url}.
 */
public final class R2dbcUrls {

  /** JDBC parameters with the same name and meaning in r2dbc-postgresql. */
  static final Set<String> CARRIED =
      Set.of("currentSchema", "sslmode", "sslrootcert", "sslcert", "sslkey", "applicationName");

  private static final String JDBC_PREFIX = "jdbc:postgresql://";

  private R2dbcUrls() {}

  /**
   * The derived URL and the JDBC parameters that were not carried over.
   *
   * @param url the r2dbc URL
   * @param dropped names of JDBC query parameters that have no R2DBC equivalent here
   */
  public record Derived(String url, List<String> dropped) {}

  /**
   * @throws IllegalArgumentException if {@code jdbcUrl} is not a single-host PostgreSQL JDBC URL
   */
  public static Derived fromJdbc(String jdbcUrl) {
    if (jdbcUrl == null || !jdbcUrl.startsWith(JDBC_PREFIX)) {
      throw new IllegalArgumentException(
          "cannot derive spring.r2dbc.url from spring.datasource.url '"
              + jdbcUrl
              + "': expected jdbc:postgresql://host:port/database; set spring.r2dbc.url explicitly");
    }
    URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
    if (uri.getHost() == null || uri.getRawAuthority().contains(",")) {
      throw new IllegalArgumentException(
          "cannot derive spring.r2dbc.url from '"
              + jdbcUrl
              + "': only one host is supported; set spring.r2dbc.url explicitly");
    }
    StringBuilder url = new StringBuilder("r2dbc:postgresql://").append(uri.getHost());
    if (uri.getPort() != -1) {
      url.append(':').append(uri.getPort());
    }
    String path = uri.getRawPath();
    url.append(path == null || path.isEmpty() ? "/" : path);

    Map<String, String> carried = new LinkedHashMap<>();
    List<String> dropped = new ArrayList<>();
    String query = uri.getRawQuery();
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name =
            URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String rawValue = eq < 0 ? "" : pair.substring(eq + 1);
        if (CARRIED.contains(name)) {
          carried.put(name, rawValue);
        } else {
          dropped.add(name);
        }
      }
    }
    String separator = "?";
    for (Map.Entry<String, String> e : carried.entrySet()) {
      url.append(separator).append(e.getKey()).append('=').append(e.getValue());
      separator = "&";
    }
    return new Derived(url.toString(), List.copyOf(dropped));
  }
}
