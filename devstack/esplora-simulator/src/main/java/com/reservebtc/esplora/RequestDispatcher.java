package com.reservebtc.esplora;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Routes each request to the dev controls ({@code /dev/...}) or the Esplora endpoints, applying the
 * active fault to Esplora GETs.
 *
 * <p>Guarantees: every exchange is answered and closed exactly once (a delayed answer is sent by a
 * scheduler, so a "timeout" fault never holds a worker thread); unexpected failures are logged and
 * answered with 500, never with a made-up value. Dev controls are never subject to faults.
 */
final class RequestDispatcher implements HttpHandler {
  private static final System.Logger LOG = System.getLogger(RequestDispatcher.class.getName());

  /** Largest request body accepted (a bulk fund of 100,000 outputs fits). */
  static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

  private static final byte[] GARBAGE =
      "{\"chain_stats\": <html><body>502 Bad Gateway</body></html>"
          .getBytes(StandardCharsets.UTF_8);

  private final EsploraRoutes esplora;
  private final DevRoutes dev;
  private final FaultInjector faults;
  private final ScheduledExecutorService scheduler;
  private final Executor workers;
  private final SimulatorConfig.Access access;

  RequestDispatcher(
      EsploraRoutes esplora,
      DevRoutes dev,
      FaultInjector faults,
      ScheduledExecutorService scheduler,
      Executor workers,
      SimulatorConfig.Access access) {
    this.esplora = esplora;
    this.dev = dev;
    this.faults = faults;
    this.scheduler = scheduler;
    this.workers = workers;
    this.access = access;
  }

  @Override
  public void handle(HttpExchange exchange) {
    String method = exchange.getRequestMethod();
    String requested = exchange.getRequestURI().getPath();
    if (requested.equals("/dev") || requested.startsWith("/dev/")) {
      send(exchange, devAnswer(exchange, method, requested));
      return;
    }
    String path = esploraPath(exchange, requested);
    if (path == null) {
      return;
    }
    Optional<FaultRule> fault = "GET".equals(method) ? faults.claim(path) : Optional.empty();
    if (fault.isEmpty()) {
      send(exchange, esploraAnswer(method, path));
      return;
    }
    FaultRule rule = fault.get();
    Supplier<HttpResponse> answer = () -> faultAnswer(rule, method, path);
    if (rule.delayMs() == 0) {
      send(exchange, answer.get());
      return;
    }
    try {
      scheduler.schedule(
          () -> dispatchLater(exchange, answer), rule.delayMs(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      exchange.close(); // shutting down
    }
  }

  /**
   * The Esplora path of a request, after the provider's access checks; answers and returns null
   * when they fail (401 without the credentials, 404 outside the key's path).
   */
  private String esploraPath(HttpExchange exchange, String path) {
    if (access == null) {
      return path;
    }
    String expected =
        "Basic "
            + java.util.Base64.getEncoder()
                .encodeToString(
                    (access.user() + ":" + access.password()).getBytes(StandardCharsets.UTF_8));
    if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      send(exchange, HttpResponse.text(401, "Unauthorized"));
      return null;
    }
    String prefix = "/" + access.pathKey();
    if (!path.startsWith(prefix + "/")) {
      send(exchange, HttpResponse.text(404, "Not Found"));
      return null;
    }
    return path.substring(prefix.length());
  }

  private void dispatchLater(HttpExchange exchange, Supplier<HttpResponse> answer) {
    try {
      workers.execute(() -> send(exchange, answer.get()));
    } catch (RejectedExecutionException e) {
      exchange.close(); // shutting down
    }
  }

  private HttpResponse faultAnswer(FaultRule rule, String method, String path) {
    return switch (rule.mode()) {
      case NONE, TIMEOUT -> esploraAnswer(method, path);
      case HTTP429 -> HttpResponse.text(429, "Too Many Requests").withHeader("Retry-After", "1");
      case HTTP500 -> HttpResponse.text(500, "Internal Server Error (simulated fault)");
      case GARBAGE -> new HttpResponse(200, HttpResponse.JSON, GARBAGE, Map.of());
    };
  }

  private HttpResponse esploraAnswer(String method, String path) {
    try {
      return esplora.handle(method, path);
    } catch (HttpProblem e) {
      return HttpResponse.text(e.status(), e.getMessage());
    } catch (RejectedRequestException e) {
      return HttpResponse.text(400, e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Esplora request " + method + " " + path + " failed", e);
      return HttpResponse.text(500, "Internal error: " + e);
    }
  }

  private HttpResponse devAnswer(HttpExchange exchange, String method, String path) {
    try {
      return dev.handle(method, path, readBody(exchange));
    } catch (HttpProblem e) {
      return HttpResponse.jsonError(e.status(), e.getMessage());
    } catch (RejectedRequestException e) {
      return HttpResponse.jsonError(400, e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "dev control " + method + " " + path + " failed", e);
      return HttpResponse.jsonError(500, e.toString());
    }
  }

  private static byte[] readBody(HttpExchange exchange) {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        throw new HttpProblem(413, "request body exceeds " + MAX_BODY_BYTES + " bytes");
      }
      return body;
    } catch (IOException e) {
      throw new HttpProblem(400, "could not read request body: " + e.getMessage());
    }
  }

  private static void send(HttpExchange exchange, HttpResponse response) {
    try {
      Headers headers = exchange.getResponseHeaders();
      headers.set("Content-Type", response.contentType());
      response.headers().forEach(headers::set);
      byte[] body = response.body();
      exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    } catch (IOException e) {
      // The client went away (typically one that timed out on a delayed answer); nothing to do.
      LOG.log(Level.DEBUG, () -> "could not send response: " + e);
    } finally {
      exchange.close();
    }
  }
}
