package com.reservebtc.gateway.stream;

import com.reservebtc.gateway.GatewayProperties;
import com.reservebtc.gateway.cache.ReadCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Relays the committed rows of {@code stream_events} (whichever replica's projection wrote them) to
 * this instance's {@link StreamHub}, in id order, each exactly once per instance.
 *
 * <p>Mechanism: PostgreSQL LISTEN/NOTIFY on one dedicated pgjdbc connection, read by one platform
 * thread with {@code PGConnection.getNotifications(timeout)}. The database that already holds the
 * events is the only component every replica shares, and a notification is sent only at the commit
 * of the transaction that wrote the rows, so no second broker, no per-instance Kafka group (which
 * would re-read every topic on every replica) and no cross-system ordering problem are needed. The
 * notification only wakes the relay; what it relays is always "the rows above the last id relayed",
 * read in id order and in chunks, which is complete because ids are allocated in commit order (see
 * {@link StreamLog}). pgjdbc rather than r2dbc-postgresql: one blocking loop on its own thread is
 * the simplest correct shape for "wait, read in order, publish, repeat" with reconnects, and it
 * keeps these reads off the read API's R2DBC pool and event loops.
 *
 * <p>Guarantees: starts at the current highest id (before the web server and the Kafka listeners
 * start, so every later event of this instance's own projection is relayed too); reads at least
 * every {@code rbtc.gateway.stream.relay-poll-interval} even without a notification; a lost
 * connection is re-opened with a doubling back-off up to {@code relay-max-backoff}, logged once per
 * episode, and the first read after it continues from the last id relayed, so nothing is skipped.
 * Before handing a chunk to the hub it drops the {@link ReadCache} entries of the chunk's addresses
 * (every entry for a binding, which can move a Bitcoin address between owners), so a client
 * reacting to an event on a replica that did not project the change reads the new state. Does not
 * guarantee that a subscriber keeps up: that is the streams' buffer rule.
 */
@Component
final class StreamRelay implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(StreamRelay.class);

  /** Rows read per query. */
  static final int CHUNK = 1000;

  /**
   * The relay connection's application_name, so operators can tell it apart in pg_stat_activity.
   */
  static final String APPLICATION_NAME = "rbtc-gateway-stream-relay";

  private static final long FIRST_BACKOFF_MILLIS = 100;

  private final DataSourceProperties dataSource;
  private final StreamHub hub;
  private final ReadCache cache;
  private final int pollMillis;
  private final long maxBackoffMillis;
  private final Counter relayed;
  private final Counter reconnects;

  private volatile long lastRelayed;
  private volatile boolean running;
  private volatile boolean connected;
  private volatile Connection connection;
  private Thread thread;

  StreamRelay(
      DataSourceProperties dataSource,
      StreamHub hub,
      ReadCache cache,
      GatewayProperties properties,
      MeterRegistry meters) {
    this.dataSource = dataSource;
    this.hub = hub;
    this.cache = cache;
    this.pollMillis =
        (int) Math.min(Integer.MAX_VALUE, properties.stream().relayPollInterval().toMillis());
    this.maxBackoffMillis = properties.stream().relayMaxBackoff().toMillis();
    this.relayed =
        Counter.builder("rbtc.gateway.stream.relayed")
            .description("Stream events relayed from stream_events to this instance's streams")
            .register(meters);
    this.reconnects =
        Counter.builder("rbtc.gateway.stream.relay.reconnects")
            .description("Times the stream relay re-opened its database connection")
            .register(meters);
    Gauge.builder("rbtc.gateway.stream.relay.connected", this, r -> r.connected ? 1 : 0)
        .description("1 while the stream relay is listening on its database connection")
        .register(meters);
    Gauge.builder("rbtc.gateway.stream.relay.position", this, r -> r.lastRelayed)
        .description("The highest stream id this instance has relayed")
        .register(meters);
  }

  /** The highest stream id relayed so far. */
  long lastRelayed() {
    return lastRelayed;
  }

  @Override
  public void start() {
    try (Connection c = open();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT coalesce(max(id), 0) FROM stream_events")) {
      rs.next();
      lastRelayed = rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("the stream relay could not read stream_events", e);
    }
    running = true;
    thread = new Thread(this::run, "stream-relay");
    thread.setDaemon(true);
    thread.start();
    log.info("stream relay started after stream id {}", lastRelayed);
  }

  private void run() {
    try {
      relayUntilStopped();
    } finally {
      connected = false;
      closeQuietly();
    }
  }

  private void relayUntilStopped() {
    long backoff = FIRST_BACKOFF_MILLIS;
    boolean failing = false;
    while (running) {
      try {
        Connection c = connection;
        if (c == null) {
          c = open();
          try (Statement s = c.createStatement()) {
            s.execute("LISTEN " + StreamLog.CHANNEL);
          }
          connection = c;
          connected = true;
          if (failing) {
            reconnects.increment();
            log.info("stream relay reconnected; continuing after stream id {}", lastRelayed);
            failing = false;
            backoff = FIRST_BACKOFF_MILLIS;
          }
          // whatever committed while there was no listener
          relay(c);
        }
        // wakes on a notification, else after the poll interval: relay either way
        c.unwrap(PGConnection.class).getNotifications(pollMillis);
        relay(c);
      } catch (SQLException | RuntimeException e) {
        connected = false;
        closeQuietly();
        if (!running) {
          return;
        }
        if (!failing) {
          log.warn(
              "stream relay lost its database connection ({}); reconnecting with back-off, events"
                  + " after stream id {} are relayed once it is back",
              e.toString(),
              lastRelayed);
          failing = true;
        }
        try {
          TimeUnit.MILLISECONDS.sleep(backoff);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
        backoff = Math.min(maxBackoffMillis, backoff * 2);
      }
    }
  }

  /** Hands every committed row above {@link #lastRelayed} to the hub, in id order. */
  private void relay(Connection c) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement(
            "SELECT id, address, type, payload FROM stream_events WHERE id > ? ORDER BY id"
                + " LIMIT "
                + CHUNK)) {
      while (running) {
        select.setLong(1, lastRelayed);
        List<StreamMessage> chunk = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            chunk.add(
                new StreamMessage(
                    rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)));
          }
        }
        if (chunk.isEmpty()) {
          return;
        }
        dropCachedReads(chunk);
        hub.publish(chunk);
        lastRelayed = chunk.get(chunk.size() - 1).id();
        relayed.increment(chunk.size());
        if (chunk.size() < CHUNK) {
          return;
        }
      }
    }
  }

  private void dropCachedReads(List<StreamMessage> chunk) {
    Set<String> addresses = new LinkedHashSet<>();
    for (StreamMessage message : chunk) {
      if (StreamEvent.BINDING.equals(message.type())) {
        cache.invalidateAll();
        return;
      }
      addresses.add(message.address());
    }
    cache.invalidate(addresses);
  }

  private Connection open() throws SQLException {
    Properties properties = new Properties();
    String user = dataSource.determineUsername();
    String password = dataSource.determinePassword();
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (password != null) {
      properties.setProperty("password", password);
    }
    properties.setProperty("ApplicationName", APPLICATION_NAME);
    // a half-open connection fails a read after this instead of blocking the relay forever
    long socketTimeoutSeconds = Math.max(30, TimeUnit.MILLISECONDS.toSeconds(pollMillis) * 3);
    properties.setProperty("socketTimeout", Long.toString(socketTimeoutSeconds));
    properties.setProperty("tcpKeepAlive", "true");
    Connection c = DriverManager.getConnection(dataSource.determineUrl(), properties);
    c.setAutoCommit(true);
    return c;
  }

  private void closeQuietly() {
    Connection c = connection;
    connection = null;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        log.debug("closing the stream relay connection failed", e);
      }
    }
  }

  @Override
  public void stop() {
    running = false;
    Thread t = thread;
    if (t != null) {
      t.interrupt();
      // closing the socket wakes a thread blocked in getNotifications
      closeQuietly();
      try {
        t.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    connected = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /**
   * Starts before the Kafka listener containers and the web server, so neither a projected event
   * nor a stream client comes before the relay's starting point; stops after them.
   */
  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE - 4096;
  }
}
