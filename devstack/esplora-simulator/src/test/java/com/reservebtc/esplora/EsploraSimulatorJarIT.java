package com.reservebtc.esplora;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runnable jar as shipped: starts on a free port, keeps its chain in the state file. */
class EsploraSimulatorJarIT {
  private static final String LISTENING = "Esplora simulator listening on ";

  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path dir;

  @Test
  void runnableJarServesEsploraAndKeepsItsChainAcrossRestarts() throws Exception {
    Path stateFile = dir.resolve("bitcoin.json");
    String address = TestAddresses.p2wpkh(9);

    Process first = launch(stateFile);
    try {
      String baseUrl = awaitBaseUrl(first);
      assertThat(get(baseUrl + "/blocks/tip/height")).isEqualTo("0");
      post(baseUrl + "/dev/fund", "{\"address\":\"" + address + "\",\"sats\":21000}");
      post(baseUrl + "/dev/mine", "{\"blocks\":2}");
    } finally {
      stop(first);
    }

    Process second = launch(stateFile);
    try {
      String baseUrl = awaitBaseUrl(second);
      assertThat(get(baseUrl + "/blocks/tip/height")).isEqualTo("2");
      assertThat(get(baseUrl + "/address/" + address)).contains("\"funded_txo_sum\":21000");
    } finally {
      stop(second);
    }
  }

  private Process launch(Path stateFile) throws IOException {
    Path jar = Path.of(System.getProperty("esplora.execJar", "target/missing-exec.jar"));
    assertThat(jar).as("runnable jar built by `mvn package`").exists();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return new ProcessBuilder(
            java.toString(),
            "-Xmx128m",
            "-jar",
            jar.toString(),
            "--port",
            "0",
            "--state-file",
            stateFile.toString())
        .redirectError(Files.createTempFile(dir, "simulator", ".log").toFile())
        .start();
  }

  private static String awaitBaseUrl(Process process) throws Exception {
    BufferedReader stdout =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> line =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                for (String l = stdout.readLine(); l != null; l = stdout.readLine()) {
                  if (l.startsWith(LISTENING)) {
                    return l.substring(LISTENING.length()).trim();
                  }
                }
                throw new IllegalStateException("simulator exited without listening");
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    return line.get(30, TimeUnit.SECONDS);
  }

  private static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    assertThat(process.isAlive()).isFalse();
  }

  private String get(String url) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(url).isEqualTo(200);
    return response.body();
  }

  private void post(String url, String body) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(url + " " + response.body()).isEqualTo(200);
  }
}
