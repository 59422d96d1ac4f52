package com.reservebtc.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A client of the gateway's server-sent-event stream of one address ({@code GET
 * /api/realtime/stream?address=}), as a browser's {@code EventSource} would read it: it keeps every
 * message with the {@link System#nanoTime()} at which its terminating blank line arrived, in
 * arrival order, and hands each to an optional listener on the reading thread.
 *
 * <p>Guarantees: {@link #open} returns only after the gateway's {@code :connected} comment, so
 * every change the gateway commits afterwards is received (while the stream stays open). Not
 * guaranteed: reconnection; if the gateway ends the stream, {@link #failure()} says why and no
 * further events arrive.
 */
public final class SseStream implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One message of the stream.
   *
   * @param name the {@code event:} field (transaction, finality, retracted, binding, sync, ...)
   * @param id the {@code id:} field, or null
   * @param data the {@code data:} lines joined by LF
   * @param receivedNanos {@link System#nanoTime()} when the message was complete
   */
  public record Event(String name, String id, String data, long receivedNanos) {

    public JsonNode json() {
      return JSON.readTree(data);
    }
  }

  private final String address;
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final CountDownLatch connected = new CountDownLatch(1);
  private final Consumer<Event> listener;
  private volatile Stream<String> lines;
  private volatile Throwable failure;
  private volatile boolean closed;
  private Thread reader;

  private SseStream(String address, Consumer<Event> listener) {
    this.address = address;
    this.listener = listener;
  }

  /** Opens the stream of {@code address} and waits for the gateway's {@code :connected}. */
  public static SseStream open(
      HttpClient http, String gatewayUrl, String address, Duration within) {
    return open(http, gatewayUrl, address, within, e -> {});
  }

  /**
   * Opens the stream of {@code address}, handing every message to {@code listener} (on the reading
   * thread, so it must be quick), and waits for the gateway's {@code :connected}.
   *
   * @throws IllegalStateException if the gateway refuses the stream or does not confirm it in time
   */
  public static SseStream open(
      HttpClient http,
      String gatewayUrl,
      String address,
      Duration within,
      Consumer<Event> listener) {
    SseStream stream = new SseStream(address, Objects.requireNonNull(listener));
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    gatewayUrl
                        + "/api/realtime/stream?address="
                        + URLEncoder.encode(address, StandardCharsets.UTF_8)))
            .header("Accept", "text/event-stream")
            .GET()
            .build();
    CompletableFuture<HttpResponse<Stream<String>>> response =
        http.sendAsync(request, HttpResponse.BodyHandlers.ofLines());
    HttpResponse<Stream<String>> answer;
    try {
      answer = response.get(within.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while opening the stream of " + address, e);
    } catch (ExecutionException | TimeoutException e) {
      response.cancel(true);
      throw new IllegalStateException("the stream of " + address + " did not open: " + e, e);
    }
    if (answer.statusCode() != 200) {
      String body;
      try (Stream<String> lines = answer.body()) {
        body = String.join("\n", lines.toList());
      }
      throw new IllegalStateException(
          "the gateway refused the stream of " + address + ": " + answer.statusCode() + " " + body);
    }
    stream.start(answer.body());
    try {
      if (!stream.connected.await(within.toMillis(), TimeUnit.MILLISECONDS)) {
        stream.close();
        throw new IllegalStateException(
            "no :connected comment on the stream of " + address + " within " + within);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stream.close();
      throw new IllegalStateException("interrupted while opening the stream of " + address, e);
    }
    return stream;
  }

  private void start(Stream<String> body) {
    lines = body;
    reader = new Thread(this::read, "sse-" + address);
    reader.setDaemon(true);
    reader.start();
  }

  private void read() {
    String name = null;
    String id = null;
    List<String> data = new ArrayList<>();
    try {
      for (String line : (Iterable<String>) lines::iterator) {
        if (line.isEmpty()) {
          if (!data.isEmpty()) {
            Event event =
                new Event(
                    name == null ? "message" : name,
                    id,
                    String.join("\n", data),
                    System.nanoTime());
            events.add(event);
            listener.accept(event);
          }
          name = null;
          id = null;
          data.clear();
        } else if (line.startsWith(":")) {
          if (line.substring(1).trim().equals("connected")) {
            connected.countDown();
          }
        } else {
          int colon = line.indexOf(':');
          String field = colon < 0 ? line : line.substring(0, colon);
          String value = colon < 0 ? "" : line.substring(colon + 1);
          if (value.startsWith(" ")) {
            value = value.substring(1);
          }
          switch (field) {
            case "event" -> name = value;
            case "id" -> id = value;
            case "data" -> data.add(value);
            default -> {
              // retry: and unknown fields are ignored, as EventSource does
            }
          }
        }
      }
      if (!closed) {
        failure = new IllegalStateException("the gateway ended the stream of " + address);
      }
    } catch (RuntimeException e) {
      if (!closed) {
        failure = e instanceof UncheckedIOException u ? u.getCause() : e;
      }
    }
  }

  /** Every message received so far, in arrival order. */
  public List<Event> events() {
    return List.copyOf(events);
  }

  /** Why the stream ended, if it ended before {@link #close()}; null while it is open. */
  public Throwable failure() {
    return failure;
  }

  public String address() {
    return address;
  }

  @Override
  public void close() {
    closed = true;
    Stream<String> open = lines;
    if (open != null) {
      open.close();
    }
    if (reader != null) {
      reader.interrupt();
    }
  }

  /** For callers that must not proceed on a broken stream. */
  public void requireOpen() throws IOException {
    Throwable f = failure;
    if (f != null) {
      throw new IOException("the event stream of " + address + " failed: " + f, f);
    }
  }
}
