package com.reservebtc.gateway.stream;

import com.reservebtc.gateway.GatewayProperties;
import com.reservebtc.gateway.api.TransactionJson;
import com.reservebtc.gateway.cache.ReadCache;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Throughput of the shared stream: {@link StreamLog#append} of {@code --events} realistic
 * transaction events in transactions of {@code --batch} (as a batched projection calls it), while
 * this process's {@link StreamRelay} hands them to a hub with one subscriber per address. Reports
 * the append rate and the rate from the first append to the last event out of the relay (the read
 * side's end to end). A PostgreSQL of its own (zonky), the gateway's migrations applied.
 *
 * <p>Usage: {@code StreamLogThroughput [--events 200000] [--batch 1000] [--addresses 1000]}
 */
public final class StreamLogThroughput {

  private StreamLogThroughput() {}

  public static void main(String[] args) throws Exception {
    int events = Integer.parseInt(arg(args, "--events", "200000"));
    int batch = Integer.parseInt(arg(args, "--batch", "1000"));
    int addresses = Integer.parseInt(arg(args, "--addresses", "1000"));
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
      String url =
          "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres?currentSchema=gateway";
      DataSource dataSource =
          postgres.getDatabase("postgres", "postgres", Map.of("currentSchema", "gateway"));
      Flyway.configure()
          .dataSource(dataSource)
          .schemas("gateway")
          .defaultSchema("gateway")
          .load()
          .migrate();
      GatewayProperties properties =
          new Binder(new MapConfigurationPropertySource(Map.of()))
              .bindOrCreate("rbtc.gateway", GatewayProperties.class);
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      DataSourceProperties relayDb = new DataSourceProperties();
      relayDb.setUrl(url);
      relayDb.setUsername("postgres");
      StreamHub hub = new StreamHub(meters);
      StreamRelay relay =
          new StreamRelay(relayDb, hub, new ReadCache(properties, meters), properties, meters);
      AtomicLong received = new AtomicLong();
      AtomicLong lastAt = new AtomicLong();
      List<String> users = new ArrayList<>();
      for (int i = 0; i < addresses; i++) {
        String user = String.format("0x%040x", 0x6000_0000L + i);
        users.add(user);
        hub.eventsFor(user)
            .subscribe(
                e -> {
                  received.incrementAndGet();
                  lastAt.set(System.nanoTime());
                });
      }
      relay.start();
      StreamLog log = new StreamLog(JdbcClient.create(dataSource), JsonMapper.builder().build());
      TransactionTemplate transactions =
          new TransactionTemplate(new DataSourceTransactionManager(dataSource));

      long start = System.nanoTime();
      AtomicLong inAppend = new AtomicLong();
      for (int from = 0; from < events; from += batch) {
        List<StreamEvent> chunk = new ArrayList<>(batch);
        for (int i = from; i < Math.min(events, from + batch); i++) {
          chunk.add(event(users.get(i % addresses), i));
        }
        transactions.executeWithoutResult(
            status -> {
              long t = System.nanoTime();
              log.append(chunk);
              inAppend.addAndGet(System.nanoTime() - t);
            });
      }
      long appended = System.nanoTime();
      long deadline = appended + Duration.ofMinutes(5).toNanos();
      while (received.get() < events && System.nanoTime() - deadline < 0) {
        LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
      }
      relay.stop();
      double appendSeconds = (appended - start) / 1e9;
      double endToEnd = (lastAt.get() - start) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "stream log: %d events in transactions of %d over %d addresses%n"
              + "  appended (committed) in %.2f s: %.0f events/s; %.2f s of it inside append()"
              + " (serialization, lock, insert, notify), the rest building events and commits%n"
              + "  relayed to the hub: %d of %d, the last %.2f s after the first append: %.0f"
              + " events/s end to end (the relay trailed the last commit by %.0f ms)%n",
          events,
          batch,
          addresses,
          appendSeconds,
          events / appendSeconds,
          inAppend.get() / 1e9,
          received.get(),
          events,
          endToEnd,
          received.get() / endToEnd,
          (lastAt.get() - appended) / 1e6);
    }
  }

  private static StreamEvent event(String user, int i) {
    String tx = String.format("0x%064x", 0xabc0_0000L + i);
    TransactionJson json =
        new TransactionJson(
            tx,
            5_000_000L + i,
            "2026-12-01T00:00:00.000",
            user,
            "MINT",
            "1000",
            "1000",
            "1000000000000000",
            "bcrt1qexampleexampleexampleexampleexample0",
            null,
            null,
            "pending",
            new TransactionJson.Metadata(
                "Synced",
                "RBTC_SYNTH",
                "0x" + "a1".repeat(20),
                31337,
                0,
                String.format("0x%064x", 5_000_000L + i),
                "PENDING",
                false,
                null,
                1000L,
                null,
                null,
                null));
    return StreamEvent.transaction(
        StreamEvent.TRANSACTION, user, "31337:" + tx + ":0", "PENDING", 5_000_000L + i, true, json);
  }

  private static String arg(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }
}
