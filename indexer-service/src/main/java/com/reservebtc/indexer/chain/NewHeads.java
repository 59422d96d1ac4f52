package com.reservebtc.indexer.chain;

import io.reactivex.disposables.Disposable;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.EthSubscribe;
import org.web3j.protocol.websocket.WebSocketClient;
import org.web3j.protocol.websocket.WebSocketService;
import org.web3j.protocol.websocket.events.NewHead;
import org.web3j.protocol.websocket.events.NewHeadsNotification;

/**
 * Follows new chain heads over WebSocket ({@code eth_subscribe newHeads}) on its own daemon thread
 * and tells a {@link Listener} about each one, so the indexer reacts to a block as soon as the node
 * announces it instead of at its next poll.
 *
 * <p>Guarantees: at most one connection at a time; when it fails or closes (or cannot be opened)
 * the listener is told it is not live, and the next endpoint is tried after a back-off that doubles
 * up to {@code maxBackoff}. A connection whose peer stops answering pings is closed within about
 * {@code 2 x 10 s}. Does not guarantee that every head is announced: the indexer keeps polling over
 * HTTP (rarely while live), which is what makes indexing complete.
 */
public final class NewHeads implements AutoCloseable {

  /** Receives heads and connection changes, on the WebSocket threads. */
  public interface Listener {
    void onHead(long number, long receivedNanos);

    /**
     * @param endpoint display name of the endpoint (no path or query)
     * @param reason why it is not live, null when live
     */
    void onLive(boolean live, String endpoint, String reason);
  }

  private static final Logger log = LoggerFactory.getLogger(NewHeads.class);
  private static final Duration MIN_BACKOFF = Duration.ofMillis(500);
  private static final int PING_TIMEOUT_SECONDS = 10;

  private final List<String> urls;
  private final Duration maxBackoff;
  private final Listener listener;
  private final CountDownLatch closed = new CountDownLatch(1);
  private Thread thread;

  public NewHeads(List<String> urls, Duration maxBackoff, Listener listener) {
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("no WebSocket URL");
    }
    this.urls = List.copyOf(urls);
    this.maxBackoff = maxBackoff;
    this.listener = listener;
  }

  public void start() {
    thread = new Thread(this::run, "indexer-new-heads");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() {
    closed.countDown();
    if (thread != null) {
      thread.interrupt();
    }
  }

  private void run() {
    int failures = 0;
    int next = 0;
    boolean announcedDown = false;
    while (closed.getCount() > 0) {
      String url = urls.get(next);
      String name = RpcEndpoint.displayName(url);
      CountDownLatch lost = new CountDownLatch(1);
      String[] reason = {null};
      WebSocketService service = null;
      Disposable subscription = null;
      try {
        WebSocketClient client = new WebSocketClient(URI.create(url));
        client.setConnectionLostTimeout(PING_TIMEOUT_SECONDS);
        service = new WebSocketService(client, false);
        service.connect(
            message -> {},
            error -> {
              reason[0] = String.valueOf(error);
              lost.countDown();
            },
            () -> {
              reason[0] = reason[0] == null ? "connection closed" : reason[0];
              lost.countDown();
            });
        Request<?, EthSubscribe> subscribe =
            new Request<>("eth_subscribe", List.of("newHeads"), service, EthSubscribe.class);
        subscription =
            service
                .subscribe(subscribe, "eth_unsubscribe", NewHeadsNotification.class)
                .subscribe(
                    notification -> onHead(notification.getParams().getResult()),
                    error -> {
                      reason[0] = String.valueOf(error);
                      lost.countDown();
                    });
        if (lost.getCount() == 0) {
          throw new IllegalStateException(reason[0]);
        }
        failures = 0;
        announcedDown = false;
        log.info("Following new heads over WebSocket at {}", name);
        listener.onLive(true, name, null);
        while (closed.getCount() > 0 && !lost.await(1, TimeUnit.SECONDS)) {
          // Wake up now and then to notice close().
        }
        if (closed.getCount() > 0) {
          log.warn(
              "WebSocket to {} lost ({}); polling over HTTP until it is back", name, reason[0]);
          listener.onLive(false, name, reason[0]);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        failures++;
        String why = e.getMessage() == null ? e.toString() : e.getMessage();
        if (!announcedDown) {
          // Once per outage, not once per attempt.
          log.warn(
              "No WebSocket at {} ({}); polling over HTTP and retrying in the background",
              name,
              why);
          announcedDown = true;
        }
        listener.onLive(false, name, why);
      } finally {
        if (subscription != null) {
          subscription.dispose();
        }
        if (service != null) {
          service.close();
        }
      }
      next = (next + 1) % urls.size();
      long backoff =
          Math.min(maxBackoff.toMillis(), MIN_BACKOFF.toMillis() << Math.min(failures, 16));
      try {
        if (closed.await(failures == 0 ? MIN_BACKOFF.toMillis() : backoff, TimeUnit.MILLISECONDS)) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void onHead(NewHead head) {
    long received = System.nanoTime();
    String number = head.getNumber();
    if (number == null || !number.startsWith("0x")) {
      return;
    }
    listener.onHead(Long.parseLong(number.substring(2), 16), received);
  }
}
