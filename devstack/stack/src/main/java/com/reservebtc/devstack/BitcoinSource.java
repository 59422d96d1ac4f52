package com.reservebtc.devstack;

import com.reservebtc.esplora.EsploraSimulator;
import com.reservebtc.esplora.Network;
import com.reservebtc.esplora.SimulatorConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The Bitcoin side of the stack: the Esplora simulator running inside the launcher JVM (regtest,
 * its chain saved to a state file after every change) or an external Esplora API.
 *
 * <p>Guarantees: when created, {@code GET /blocks/tip/height} answers 200 on {@link #url()}.
 */
final class BitcoinSource implements AutoCloseable {

  private final String url;
  private final EsploraSimulator simulator;

  private BitcoinSource(String url, EsploraSimulator simulator) {
    this.url = url;
    this.simulator = simulator;
  }

  static BitcoinSource startSimulator(int port, Path stateFile) {
    try {
      Files.createDirectories(stateFile.getParent());
      EsploraSimulator simulator =
          new EsploraSimulator(
                  SimulatorConfig.defaults()
                      .withPort(port)
                      .withNetwork(Network.REGTEST)
                      .withStateFile(stateFile))
              .start();
      return new BitcoinSource(simulator.baseUrl(), simulator);
    } catch (IOException | RuntimeException e) {
      throw new DevStackException(
          "the Esplora simulator did not start ("
              + e.getMessage()
              + "); if its state file "
              + stateFile
              + " is damaged, start with --fresh",
          e);
    }
  }

  static BitcoinSource external(String url) {
    String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + "/blocks/tip/height"))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build();
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new DevStackException(
            "the Esplora API at " + base + " answered " + response.statusCode() + " for the tip");
      }
      return new BitcoinSource(base, null);
    } catch (IOException e) {
      throw new DevStackException("cannot reach the Esplora API at " + base + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevStackException("interrupted while checking " + base, e);
    }
  }

  String url() {
    return url;
  }

  Optional<EsploraSimulator> simulator() {
    return Optional.ofNullable(simulator);
  }

  @Override
  public void close() {
    if (simulator != null) {
      simulator.close();
    }
  }
}
