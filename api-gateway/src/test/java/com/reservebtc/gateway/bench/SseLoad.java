package com.reservebtc.gateway.bench;

import com.reservebtc.gateway.TestRecords;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.serde.AvroValueSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
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
 * Opens {@code --streams} concurrent server-sent-event streams to one gateway, one per user and
 * each from its own client address ({@code X-Forwarded-For}; the gateway must trust 127.0.0.1),
 * reports the gateway's heap with all streams open, then produces {@code --rounds} Synced events
 * per user to Kafka and counts how many of them each stream delivers, with the latency from the
 * producer's send call to the arrival at the client (both clocks are this process's).
 *
 * <p>Usage: {@code SseLoad --url URL --kafka BOOTSTRAP [--streams 10000] [--rounds 1] [--push-rate
 * 0] [--gateway-pid PID]}. With {@code --push-rate 0} each round is one burst (the latency then
 * includes queueing behind the burst in the projection); otherwise events are produced at that
 * rate, which measures the per-event path. With the PID, a full GC is requested through jcmd before
 * the last heap reading, to separate live data from garbage.
 */
public final class SseLoad {

  private SseLoad() {}

  public static void main(String[] args) throws Exception {
    String url = BenchArgs.value(args, "--url", null);
    String kafka = BenchArgs.value(args, "--kafka", null);
    int streams = Integer.parseInt(BenchArgs.value(args, "--streams", "10000"));
    int rounds = Integer.parseInt(BenchArgs.value(args, "--rounds", "1"));
    String gatewayPid = BenchArgs.value(args, "--gateway-pid", "");
    // 0: each round is produced as fast as possible (a burst); else events per second
    int pushRate = Integer.parseInt(BenchArgs.value(args, "--push-rate", "0"));
    GatewayProbe probe = new GatewayProbe(url);

    List<String> users = new ArrayList<>(streams);
    for (int i = 1; i <= streams; i++) {
      users.add(String.format("0x%040x", 0x2000_0000L + i));
    }
    heap(probe, "before opening streams");

    LoopResources loops = LoopResources.create("sse-load", 2, true);
    HttpClient client =
        HttpClient.create(ConnectionProvider.newConnection())
            .runOn(loops)
            .baseUrl(url)
            .responseTimeout(Duration.ofMinutes(30));
    AtomicInteger connected = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger delivered = new AtomicInteger();
    AtomicLongArray producedAt = new AtomicLongArray(streams * rounds);
    AtomicLongArray latency = new AtomicLongArray(streams * rounds);
    List<Disposable> open = new ArrayList<>(streams);
    long t0 = System.nanoTime();
    for (int i = 0; i < streams; i++) {
      int index = i;
      int c = i + 1;
      String forwardedFor = "10." + (c >> 16 & 255) + "." + (c >> 8 & 255) + "." + (c & 255);
      open.add(
          client
              .headers(
                  h -> h.set("X-Forwarded-For", forwardedFor).set("Accept", "text/event-stream"))
              .get()
              .uri("/api/realtime/stream?address=" + users.get(i))
              .response(
                  (response, body) -> {
                    if (response.status().code() != 200) {
                      failed.incrementAndGet();
                      return body.asString(StandardCharsets.UTF_8).ignoreElements().flux();
                    }
                    return body.asString(StandardCharsets.UTF_8)
                        .doOnNext(
                            chunk ->
                                onChunk(
                                    chunk,
                                    index,
                                    rounds,
                                    connected,
                                    delivered,
                                    producedAt,
                                    latency));
                  })
              .subscribe(v -> {}, e -> failed.incrementAndGet()));
      if (i % 500 == 499) {
        // open in batches so the accept queue and the rate of new TLS-free handshakes stay sane
        LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
      }
    }
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (connected.get() + failed.get() < streams && System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
    }
    System.out.printf(
        Locale.ROOT,
        "streams connected %d of %d (refused/failed %d) in %.1f s; gateway reports %.0f open%n",
        connected.get(),
        streams,
        failed.get(),
        (System.nanoTime() - t0) / 1e9,
        probe.metric("rbtc.gateway.sse.subscribers"));
    heap(probe, "with all streams open");

    Properties props = BenchInfrastructure.producerProperties(kafka);
    long pushStart = System.nanoTime();
    try (KafkaProducer<String, SpecificRecord> producer =
        new KafkaProducer<>(props, new StringSerializer(), new AvroValueSerializer())) {
      for (int r = 0; r < rounds; r++) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(streams);
        for (int i = 0; i < streams; i++) {
          String user = users.get(i);
          long block = 5_000_000L + r * 100_000L + i;
          if (pushRate > 0) {
            long due = pushStart + (long) (r * streams + i) * 1_000_000_000L / pushRate;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
              LockSupport.parkNanos(wait);
            }
          }
          producedAt.set(r * streams + i, System.nanoTime());
          acks.add(
              producer.send(
                  new ProducerRecord<>(
                      Topics.CHAIN_SYNCED.name(),
                      user,
                      TestRecords.synced(
                          TestRecords.log(
                              BenchInfrastructure.CHAIN,
                              TestRecords.AGGREGATOR,
                              block,
                              0,
                              TestRecords.txHash(0x5000_0000L + r * 100_000L + i),
                              0,
                              false),
                          user,
                          1_000L * (r + 1),
                          1_000L,
                          "1000000000000000"))));
        }
        for (Future<RecordMetadata> ack : acks) {
          ack.get();
        }
      }
    }
    long expected = (long) streams * rounds;
    deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (delivered.get() < expected && System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
    }
    double pushSeconds = (System.nanoTime() - pushStart) / 1e9;
    long[] lat = new long[(int) expected];
    int n = 0;
    for (int i = 0; i < expected; i++) {
      long v = latency.get(i);
      if (v > 0) {
        lat[n++] = v;
      }
    }
    lat = Arrays.copyOf(lat, n);
    Arrays.sort(lat);
    System.out.printf(
        Locale.ROOT,
        "events delivered %d of %d in %.1f s since the first send (%.0f events/s end to end)%n",
        delivered.get(),
        expected,
        pushSeconds,
        delivered.get() / pushSeconds);
    System.out.printf(
        Locale.ROOT,
        "delivery latency from producer send to client (ms): p50 %.1f  p99 %.1f  max %.1f"
            + (pushRate > 0
                ? "  (events produced at " + pushRate + "/s)%n"
                : "  (one burst: includes queueing behind the whole batch in the projection)%n"),
        pct(lat, 50),
        pct(lat, 99),
        n == 0 ? Double.NaN : lat[n - 1] / 1e6);
    heap(probe, "after delivery");
    if (!gatewayPid.isBlank()) {
      Process gc = new ProcessBuilder("jcmd", gatewayPid, "GC.run").inheritIO().start();
      gc.waitFor();
      heap(probe, "after a full GC (live data)");
    }
    System.out.printf(
        Locale.ROOT,
        "streams still open at the end: %.0f%n",
        probe.metric("rbtc.gateway.sse.subscribers"));
    open.forEach(Disposable::dispose);
    loops.disposeLater().block(Duration.ofSeconds(10));
  }

  private static void onChunk(
      String chunk,
      int index,
      int rounds,
      AtomicInteger connected,
      AtomicInteger delivered,
      AtomicLongArray producedAt,
      AtomicLongArray latency) {
    if (chunk.contains(":connected")) {
      connected.incrementAndGet();
    }
    int from = 0;
    while ((from = chunk.indexOf("event:transaction", from)) >= 0) {
      from += 17;
      long now = System.nanoTime();
      int streams = producedAt.length() / rounds;
      for (int r = 0; r < rounds; r++) {
        int slot = r * streams + index;
        if (latency.get(slot) == 0) {
          // a user's events arrive in the order they were produced: the first open round
          latency.set(slot, Math.max(1, now - producedAt.get(slot)));
          delivered.incrementAndGet();
          break;
        }
      }
    }
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
  }

  private static void heap(GatewayProbe probe, String when) throws Exception {
    System.out.printf(
        Locale.ROOT,
        "gateway heap %s: used %.1f MiB (committed %.1f MiB, max %.1f MiB); direct buffers %.1f"
            + " MiB%n",
        when,
        probe.metric("jvm.memory.used?tag=area:heap") / 1048576.0,
        probe.metric("jvm.memory.committed?tag=area:heap") / 1048576.0,
        probe.metric("jvm.memory.max?tag=area:heap") / 1048576.0,
        probe.metric("jvm.buffer.memory.used?tag=id:direct") / 1048576.0);
  }
}
