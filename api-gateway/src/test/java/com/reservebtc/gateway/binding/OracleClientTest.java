package com.reservebtc.gateway.binding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.reservebtc.gateway.GatewayProperties;
import com.reservebtc.gateway.api.ApiException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Period;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;

class OracleClientTest {

  private final OracleStub oracle = new OracleStub();

  @AfterEach
  void stop() {
    oracle.close();
  }

  private static OracleClient client(String url, Duration responseTimeout) {
    return new OracleClient(
        new GatewayProperties(
            new GatewayProperties.Cors(List.of()),
            new GatewayProperties.Sse(Duration.ofSeconds(15), 256),
            new GatewayProperties.SyncStatus(Duration.ofMinutes(10)),
            new GatewayProperties.Snapshots("0 10 0 * * *", Period.ofDays(90)),
            new GatewayProperties.Cache(Duration.ofSeconds(5), 1000),
            new GatewayProperties.RateLimit(
                true, 10, 50, List.of(), 1000, Duration.ofSeconds(60), 8, 100),
            URI.create(url),
            new GatewayProperties.Forwarding(
                Duration.ofSeconds(2),
                responseTimeout,
                DataSize.ofKilobytes(16),
                DataSize.ofMegabytes(1),
                DataSize.ofKilobytes(64))));
  }

  private static byte[] body(String btc) {
    return ("{\"btcAddress\":\"" + btc + "\"}").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void passesTheOraclesStatusAndBodyThrough() {
    OracleClient client = client(oracle.baseUrl(), Duration.ofSeconds(5));
    OracleClient.Answer created = client.bind(body("tb1qfine")).block(Duration.ofSeconds(10));
    assertThat(created.status().value()).isEqualTo(201);
    assertThat(new String(created.body(), StandardCharsets.UTF_8)).contains("\"created\":true");

    OracleClient.Answer conflict = client.bind(body("tb1qconflict")).block(Duration.ofSeconds(10));
    assertThat(conflict.status().value()).isEqualTo(409);
    assertThat(new String(conflict.body(), StandardCharsets.UTF_8))
        .contains("btc_address_already_bound");
    assertThat(oracle.received()).hasSize(2);
  }

  @Test
  void anUnreachableOracleIs503() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    OracleClient client = client("http://127.0.0.1:" + closedPort, Duration.ofSeconds(5));
    assertThatThrownBy(() -> client.bind(body("tb1qfine")).block(Duration.ofSeconds(10)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
              assertThat(e.code()).isEqualTo("oracle_unavailable");
              assertThat(e.retryAfterSeconds()).isEqualTo(5);
            });
  }

  @Test
  void anOracleThatDoesNotAnswerInTimeIs504() {
    OracleClient client = client(oracle.baseUrl(), Duration.ofMillis(500));
    assertThatThrownBy(() -> client.bind(body("tb1qslow")).block(Duration.ofSeconds(10)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(HttpStatus.GATEWAY_TIMEOUT);
              assertThat(e.code()).isEqualTo("oracle_timeout");
            });
  }

  @Test
  void anOversizedAnswerIs502() {
    OracleClient client = client(oracle.baseUrl(), Duration.ofSeconds(5));
    assertThatThrownBy(() -> client.bind(body("tb1qhuge")).block(Duration.ofSeconds(10)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(HttpStatus.BAD_GATEWAY);
              assertThat(e.code()).isEqualTo("oracle_bad_response");
            });
  }
}
