package com.reservebtc.gateway;

import java.time.Duration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The HTTP client of the gateway ITs. It opens a connection per request instead of using Reactor
 * Netty's global pool, which carries keep-alive connections from test to test and from one Spring
 * context of the run to the next: requests on such connections twice waited out the 20 s timeout
 * without reaching the gateway (which had no request in progress), while the same request sequence
 * over one keep-alive connection with curl is served normally.
 */
final class TestClients {

  private TestClients() {}

  static WebTestClient gateway(int port) {
    return WebTestClient.bindToServer(
            new ReactorClientHttpConnector(HttpClient.create(ConnectionProvider.newConnection())))
        .baseUrl("http://127.0.0.1:" + port)
        .responseTimeout(Duration.ofSeconds(20))
        .build();
  }
}
