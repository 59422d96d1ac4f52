package com.reservebtc.gateway.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the gateway's actuator endpoints for the benchmark tools. */
final class GatewayProbe {

  private static final Pattern VALUE = Pattern.compile("\"value\"\\s*:\\s*([0-9.eE+-]+)");

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;

  GatewayProbe(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  String get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + path + " answered " + response.statusCode());
    }
    return response.body();
  }

  /** Sum of a Prometheus counter over all its series, optionally only those containing a tag. */
  double counter(String name, String tagFilter) throws IOException, InterruptedException {
    double sum = 0;
    for (String line : get("/actuator/prometheus").split("\n")) {
      if (line.startsWith(name + "{") && (tagFilter == null || line.contains(tagFilter))) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  /** The value of an actuator metric, e.g. {@code jvm.memory.used?tag=area:heap}. */
  double metric(String nameAndTags) throws IOException, InterruptedException {
    Matcher m = VALUE.matcher(get("/actuator/metrics/" + nameAndTags));
    if (!m.find()) {
      throw new IOException("no value in metric " + nameAndTags);
    }
    return Double.parseDouble(m.group(1));
  }

  /** Waits until the projections applied at least {@code records} records. */
  void awaitProjected(long records, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    double projected = 0;
    while (System.nanoTime() - deadline < 0) {
      try {
        projected = counter("rbtc_gateway_projected_records_total", null);
        if (projected >= records) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
    }
    throw new IllegalStateException(
        "only " + projected + " of " + records + " records projected within " + timeout);
  }
}
