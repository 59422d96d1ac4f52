package com.reservebtc.gateway.bench;

import com.reservebtc.gateway.TestRecords;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.serde.AvroValueSerializer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import reactor.core.Disposable;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Event streams over two gateway replicas that share one consumer group and one PostgreSQL. The
 * benchmark topics have one partition each, so one replica projects every Synced record and the
 * other receives its events only through the shared stream table and its relay.
 *
 * <ol>
 *   <li>Opens {@code --streams} SSE streams, one per user, alternately on each replica, each from
 *       its own client address (the gateways trust 127.0.0.1's X-Forwarded-For); reports each
 *       replica's heap and RSS with all streams open (and after a full GC).
 *   <li>Fan-out: one Synced record per user, produced at {@code --push-rate} per second; latency
 *       from the producer's send to the event's arrival (includes any queue in front of the
 *       projection, which applies one record per transaction), and from the row's {@code
 *       created_at} in {@code stream_events} to the arrival (the stream's own path: commit,
 *       notification, relay, fan-out), separately for the clients of the replica that projects the
 *       records and of the other one.
 *   <li>Resume: a client receives one event of its user on one replica and disconnects; {@code
 *       --missed} records of that user are produced and committed; the client reconnects with
 *       {@code Last-Event-ID} to the <em>other</em> replica. Time until the last missed event
 *       arrived, and a check that each missed event arrived once, in order (the ids equal the
 *       table's), followed by a live one.
 * </ol>
 *
 * <p>Usage: {@code StreamsLoad --urls URL1,URL2 --pids PID1,PID2 --kafka BOOTSTRAP --jdbc URL
 * --seeded N [--streams 10000] [--push-rate 500] [--missed 1000] [--results FILE]}
 */
public final class StreamsLoad {

  private static final long CHAIN = BenchInfrastructure.CHAIN;

  private StreamsLoad() {}

  public static void main(String[] args) throws Exception {
    String[] urls = BenchArgs.value(args, "--urls", null).split(",");
    String[] pids = BenchArgs.value(args, "--pids", null).split(",");
    String kafka = BenchArgs.value(args, "--kafka", null);
    String jdbc = BenchArgs.value(args, "--jdbc", null);
    long seeded = Long.parseLong(BenchArgs.value(args, "--seeded", "0"));
    int streams = Integer.parseInt(BenchArgs.value(args, "--streams", "10000"));
    int pushRate = Integer.parseInt(BenchArgs.value(args, "--push-rate", "500"));
    int missed = Integer.parseInt(BenchArgs.value(args, "--missed", "1000"));
    String results = BenchArgs.value(args, "--results", "");
    GatewayProbe[] probes = {new GatewayProbe(urls[0]), new GatewayProbe(urls[1])};
    StringBuilder report = new StringBuilder();
    Consumer<String> out =
        line -> {
          System.out.println(line);
          report.append(line).append('\n');
        };

    // the seeded records, projected by one replica or the other
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (projected(probes, null) < seeded) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("the seeded records were not projected in 10 min");
      }
      LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
    }
    String synced = "topic=\"" + Topics.CHAIN_SYNCED.name() + "\"";
    int projector = probes[0].counter("rbtc_gateway_projected_records_total", synced) > 0 ? 0 : 1;
    if (probes[1 - projector].counter("rbtc_gateway_projected_records_total", synced) > 0) {
      throw new IllegalStateException("both replicas projected Synced records");
    }
    out.accept(
        String.format(
            Locale.ROOT,
            "replica %d (%s) projects %s; replica %d (%s) only relays its events",
            projector + 1,
            urls[projector],
            Topics.CHAIN_SYNCED.name(),
            2 - projector,
            urls[1 - projector]));

    // 1. open the streams
    List<String> users = new ArrayList<>(streams);
    for (int i = 1; i <= streams; i++) {
      users.add(String.format("0x%040x", 0x3000_0000L + i));
    }
    LoopResources loops = LoopResources.create("streams-load", 2, true);
    HttpClient[] clients = new HttpClient[2];
    for (int r = 0; r < 2; r++) {
      clients[r] =
          HttpClient.create(ConnectionProvider.newConnection())
              .runOn(loops)
              .baseUrl(urls[r])
              .responseTimeout(Duration.ofMinutes(30));
    }
    AtomicInteger connected = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger delivered = new AtomicInteger();
    AtomicLongArray producedAt = new AtomicLongArray(streams);
    AtomicLongArray latency = new AtomicLongArray(streams);
    // per stream: the stream id of its event and its arrival (epoch microseconds)
    AtomicLongArray eventIds = new AtomicLongArray(streams);
    AtomicLongArray arrivedMicros = new AtomicLongArray(streams);
    List<Disposable> open = new ArrayList<>(streams);
    long t0 = System.nanoTime();
    for (int i = 0; i < streams; i++) {
      int index = i;
      open.add(
          stream(
              clients[i % 2],
              users.get(i),
              i + 1,
              null,
              failed,
              event -> {
                if (event.comment() != null && event.comment().equals("connected")) {
                  connected.incrementAndGet();
                } else if ("transaction".equals(event.type()) && latency.get(index) == 0) {
                  latency.set(index, Math.max(1, System.nanoTime() - producedAt.get(index)));
                  Instant now = Instant.now();
                  arrivedMicros.set(index, now.getEpochSecond() * 1_000_000 + now.getNano() / 1000);
                  eventIds.set(index, Long.parseLong(event.id()));
                  delivered.incrementAndGet();
                }
              }));
      if (i % 500 == 499) {
        LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
      }
    }
    deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (connected.get() + failed.get() < streams && System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
    }
    out.accept(
        String.format(
            Locale.ROOT,
            "streams connected %d of %d (refused/failed %d) in %.1f s; replicas report %.0f + %.0f"
                + " open",
            connected.get(),
            streams,
            failed.get(),
            (System.nanoTime() - t0) / 1e9,
            probes[0].metric("rbtc.gateway.sse.subscribers"),
            probes[1].metric("rbtc.gateway.sse.subscribers")));
    for (int r = 0; r < 2; r++) {
      out.accept(memory(probes[r], pids[r], r, "with all streams open"));
    }

    // 2. fan-out
    Properties props = BenchInfrastructure.producerProperties(kafka);
    long pushStart = System.nanoTime();
    try (KafkaProducer<String, SpecificRecord> producer =
        new KafkaProducer<>(props, new StringSerializer(), new AvroValueSerializer())) {
      List<Future<RecordMetadata>> acks = new ArrayList<>(streams);
      for (int i = 0; i < streams; i++) {
        long due = pushStart + (long) i * 1_000_000_000L / pushRate;
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait);
        }
        producedAt.set(i, System.nanoTime());
        acks.add(producer.send(synced(users.get(i), 7_000_000L + i, 0x7000_0000L + i, 1)));
      }
      for (Future<RecordMetadata> ack : acks) {
        ack.get();
      }
    }
    deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (delivered.get() < streams && System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
    }
    double pushSeconds = (System.nanoTime() - pushStart) / 1e9;
    out.accept(
        String.format(
            Locale.ROOT,
            "fan-out: %d of %d events delivered in %.1f s, produced at %d/s",
            delivered.get(),
            streams,
            pushSeconds,
            pushRate));
    java.util.Map<Long, Long> appendedMicros = appendedMicros(jdbc, eventIds);
    for (int r = 0; r < 2; r++) {
      List<Long> lat = new ArrayList<>();
      List<Long> delivery = new ArrayList<>();
      for (int i = r; i < streams; i += 2) {
        if (latency.get(i) > 0) {
          lat.add(latency.get(i));
          Long appended = appendedMicros.get(eventIds.get(i));
          if (appended != null) {
            delivery.add((arrivedMicros.get(i) - appended) * 1000);
          }
        }
      }
      out.accept(
          String.format(
              Locale.ROOT,
              "  clients of replica %d (%s): send → arrival %s%n"
                  + "      appended to stream_events (in the projection's transaction, before"
                  + " its commit) → arrival %s",
              r + 1,
              r == projector ? "projects the records" : "relays only",
              percentiles(lat),
              percentiles(delivery)));
    }
    for (int r = 0; r < 2; r++) {
      out.accept(memory(probes[r], pids[r], r, "after delivery"));
      if (!pids[r].isBlank()) {
        new ProcessBuilder("jcmd", pids[r], "GC.run")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start()
            .waitFor();
        out.accept(memory(probes[r], pids[r], r, "after a full GC (live data)"));
      }
    }
    open.forEach(Disposable::dispose);

    // 3. resume on the other replica after missed events
    out.accept(resume(clients, urls, kafka, jdbc, missed, projector));
    loops.disposeLater().block(Duration.ofSeconds(10));

    if (!results.isBlank()) {
      String header =
          "Generated by `api-gateway/bench/run-streams` on "
              + Instant.now()
              + "\n\n"
              + "inputs: "
              + streams
              + " streams, fan-out produced at "
              + pushRate
              + "/s, "
              + missed
              + " missed events before the resume\n";
      Files.writeString(
          Path.of(results),
          header + report,
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    }
  }

  private static String resume(
      HttpClient[] clients, String[] urls, String kafka, String jdbc, int missed, int projector)
      throws Exception {
    String user = String.format("0x%040x", 0x4000_0001L);
    // the first client is on the replica that projects, the resumed one on the other
    int first = projector;
    int second = 1 - projector;
    AtomicInteger failed = new AtomicInteger();
    AtomicLong lastId = new AtomicLong(-1);
    AtomicInteger connected = new AtomicInteger();
    Disposable before =
        stream(
            clients[first],
            user,
            1,
            null,
            failed,
            e -> {
              if (e.comment() != null) {
                connected.incrementAndGet();
              } else if (e.id() != null) {
                lastId.set(Long.parseLong(e.id()));
              }
            });
    awaitTrue(() -> connected.get() > 0, "the first stream did not connect");
    Properties props = BenchInfrastructure.producerProperties(kafka);
    try (KafkaProducer<String, SpecificRecord> producer =
        new KafkaProducer<>(props, new StringSerializer(), new AvroValueSerializer())) {
      producer.send(synced(user, 9_000_000L, 0x9000_0000L, 1)).get();
      awaitTrue(() -> lastId.get() > 0, "the first event did not arrive");
      before.dispose();
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      for (int i = 1; i <= missed; i++) {
        acks.add(producer.send(synced(user, 9_000_000L + i, 0x9000_0000L + i, i + 1)));
      }
      for (Future<RecordMetadata> ack : acks) {
        ack.get();
      }
      List<Long> expected = new ArrayList<>();
      long committedBy = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (expected.size() < missed && System.nanoTime() - committedBy < 0) {
        expected = idsAfter(jdbc, user, lastId.get());
        LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
      }
      if (expected.size() != missed) {
        throw new IllegalStateException(
            "expected " + missed + " committed events, found " + expected.size());
      }

      List<Long> received = new CopyOnWriteArrayList<>();
      AtomicLong lastAt = new AtomicLong();
      long start = System.nanoTime();
      Disposable after =
          stream(
              clients[second],
              user,
              2,
              Long.toString(lastId.get()),
              failed,
              e -> {
                if (e.id() != null) {
                  received.add(Long.parseLong(e.id()));
                  lastAt.set(System.nanoTime());
                }
              });
      List<Long> wanted = expected;
      awaitTrue(() -> received.size() >= wanted.size(), "the missed events did not all arrive");
      double catchUpMs = (lastAt.get() - start) / 1e6;
      boolean exact = received.subList(0, missed).equals(expected);
      producer.send(synced(user, 9_000_000L + missed + 1, 0x9000_0000L + missed + 1, 9)).get();
      awaitTrue(() -> received.size() >= missed + 1, "no live event after the backlog");
      List<Long> all = idsAfter(jdbc, user, lastId.get());
      LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
      boolean onceInOrder = received.equals(all);
      after.dispose();
      return String.format(
          Locale.ROOT,
          "resume: %d missed events committed while disconnected from replica %d; reconnected"
              + " with Last-Event-ID to replica %d (%s): last missed event %.1f ms after the"
              + " request (%.0f events/s); missed events %s, then the live event: %s",
          missed,
          first + 1,
          second + 1,
          urls[second],
          catchUpMs,
          missed / (catchUpMs / 1000),
          exact ? "each once, in order" : "NOT as committed",
          onceInOrder
              ? "once, nothing else (" + received.size() + " events)"
              : "MISMATCH " + received.size() + " received vs " + all.size());
    }
  }

  private static ProducerRecord<String, SpecificRecord> synced(
      String user, long block, long txSeed, long balanceSteps) {
    return new ProducerRecord<>(
        Topics.CHAIN_SYNCED.name(),
        user,
        TestRecords.synced(
            TestRecords.log(
                CHAIN, TestRecords.AGGREGATOR, block, 0, TestRecords.txHash(txSeed), 0, false),
            user,
            1_000L * balanceSteps,
            1_000L,
            "1000000000000000"));
  }

  /** created_at of the given stream ids, in epoch microseconds. */
  private static java.util.Map<Long, Long> appendedMicros(String jdbc, AtomicLongArray ids)
      throws Exception {
    Long[] wanted = new Long[ids.length()];
    for (int i = 0; i < wanted.length; i++) {
      wanted[i] = ids.get(i);
    }
    Properties login = new Properties();
    login.setProperty("user", "postgres");
    java.util.Map<Long, Long> appended = new java.util.HashMap<>();
    try (Connection c = DriverManager.getConnection(jdbc, login);
        PreparedStatement s =
            c.prepareStatement(
                "SELECT id, (extract(epoch FROM created_at) * 1000000)::bigint"
                    + " FROM stream_events WHERE id = ANY (?)")) {
      s.setArray(1, c.createArrayOf("bigint", wanted));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          appended.put(rs.getLong(1), rs.getLong(2));
        }
      }
    }
    return appended;
  }

  private static List<Long> idsAfter(String jdbc, String user, long after) throws Exception {
    Properties login = new Properties();
    login.setProperty("user", "postgres");
    try (Connection c = DriverManager.getConnection(jdbc, login);
        PreparedStatement s =
            c.prepareStatement(
                "SELECT id FROM stream_events WHERE address = ? AND id > ? ORDER BY id")) {
      s.setString(1, user);
      s.setLong(2, after);
      List<Long> ids = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
      return ids;
    }
  }

  /** One received SSE message (or comment). */
  record Event(String id, String type, String comment) {}

  /** Opens one SSE stream and hands each message to {@code onEvent}. */
  private static Disposable stream(
      HttpClient client,
      String user,
      int clientNumber,
      String lastEventId,
      AtomicInteger failed,
      Consumer<Event> onEvent) {
    String forwardedFor =
        "10."
            + (clientNumber >> 16 & 255)
            + "."
            + (clientNumber >> 8 & 255)
            + "."
            + (clientNumber & 255);
    SseParser parser = new SseParser(onEvent);
    return client
        .headers(
            h -> {
              h.set("X-Forwarded-For", forwardedFor).set("Accept", "text/event-stream");
              if (lastEventId != null) {
                h.set("Last-Event-ID", lastEventId);
              }
            })
        .get()
        .uri("/api/realtime/stream?address=" + user)
        .response(
            (response, body) -> {
              if (response.status().code() != 200) {
                failed.incrementAndGet();
                return body.asString(StandardCharsets.UTF_8).ignoreElements().flux();
              }
              return body.asString(StandardCharsets.UTF_8).doOnNext(parser::accept);
            })
        .subscribe(v -> {}, e -> failed.incrementAndGet());
  }

  /** A minimal server-sent-event parser: lines across chunks, one message per blank line. */
  private static final class SseParser {
    private final Consumer<Event> onEvent;
    private final StringBuilder pending = new StringBuilder();
    private String id;
    private String type;
    private String comment;

    SseParser(Consumer<Event> onEvent) {
      this.onEvent = onEvent;
    }

    void accept(String chunk) {
      pending.append(chunk);
      int newline;
      while ((newline = pending.indexOf("\n")) >= 0) {
        String line = pending.substring(0, newline);
        pending.delete(0, newline + 1);
        if (line.isEmpty()) {
          if (id != null || type != null || comment != null) {
            onEvent.accept(new Event(id, type, comment));
          }
          id = null;
          type = null;
          comment = null;
        } else if (line.startsWith(":")) {
          comment = line.substring(1);
        } else if (line.startsWith("id:")) {
          id = line.substring(3);
        } else if (line.startsWith("event:")) {
          type = line.substring(6);
        }
      }
    }
  }

  private static double projected(GatewayProbe[] probes, String filter) {
    double sum = 0;
    for (GatewayProbe probe : probes) {
      try {
        sum += probe.counter("rbtc_gateway_projected_records_total", filter);
      } catch (Exception e) {
        return -1; // not up yet
      }
    }
    return sum;
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition, String failure) {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(failure);
      }
      LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
    }
  }

  private static String percentiles(List<Long> nanos) {
    long[] sorted = nanos.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(sorted);
    if (sorted.length == 0) {
      return "no samples";
    }
    return String.format(
        Locale.ROOT,
        "%d events, latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms",
        sorted.length,
        pct(sorted, 50),
        pct(sorted, 90),
        pct(sorted, 99),
        sorted[sorted.length - 1] / 1e6);
  }

  private static double pct(long[] sorted, double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
  }

  private static String memory(GatewayProbe probe, String pid, int replica, String when)
      throws Exception {
    String rss = "";
    if (!pid.isBlank()) {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = ", RSS " + Long.parseLong(line.replaceAll("\\D", "")) / 1024 + " MiB";
        }
      }
    }
    return String.format(
        Locale.ROOT,
        "replica %d %s: heap used %.1f MiB (committed %.1f, max %.1f MiB)%s",
        replica + 1,
        when,
        probe.metric("jvm.memory.used?tag=area:heap") / 1048576.0,
        probe.metric("jvm.memory.committed?tag=area:heap") / 1048576.0,
        probe.metric("jvm.memory.max?tag=area:heap") / 1048576.0,
        rss);
  }
}
