package com.reservebtc.gateway.stream;

import com.reservebtc.gateway.GatewayProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * How a stream starts for a client that names the last event it received ({@code Last-Event-ID}):
 * the rows of its address above that id, read from {@code stream_events}, or a {@code reset} when
 * the id cannot be resumed. A client that names no id starts with live events only.
 *
 * <p>An id cannot be resumed when it is not a stream id ({@code malformed}), when rows above it may
 * have been deleted by retention ({@code expired}: it is below the low-water mark), when it is
 * above every id the stream has handed out ({@code unknown}, e.g. an id of another deployment), or
 * when more than {@code rbtc.gateway.stream.max-backlog} events of the address follow it ({@code
 * too_far_behind}). The {@code reset} event tells the client to re-read the REST endpoints; its id
 * is the stream's head when it was sent, so the client's next reconnect resumes from there.
 *
 * <p>The backlog is read before the low-water mark and the head: retention deletes rows and raises
 * the mark in one statement, so a mark read afterwards at or below the client's id proves the
 * backlog read missed nothing.
 */
@Component
final class StreamBacklog {

  /**
   * How one stream starts: {@code events} first, then live events with an id above {@code after}.
   */
  record Start(List<StreamMessage> events, long after) {
    static final Start LIVE = new Start(List.of(), 0);
  }

  /** The data of a {@code reset} event. */
  record Reset(String type, String address, String reason, String message) {}

  static final String RESET = "reset";

  /** A stream id as a client sends it back: decimal, fits a positive long. */
  private static final Pattern STREAM_ID = Pattern.compile("[0-9]{1,18}");

  private final DatabaseClient db;
  private final JsonMapper json;
  private final int maxBacklog;
  private final MeterRegistry meters;

  StreamBacklog(
      DatabaseClient db, JsonMapper json, GatewayProperties properties, MeterRegistry meters) {
    this.db = db;
    this.json = json;
    this.maxBacklog = properties.stream().maxBacklog();
    this.meters = meters;
  }

  /**
   * The start of {@code address}'s stream for a client whose last event was {@code lastEventId}.
   */
  Mono<Start> start(String address, String lastEventId) {
    if (lastEventId == null || lastEventId.isBlank()) {
      return Mono.just(Start.LIVE);
    }
    String trimmed = lastEventId.strip();
    if (!STREAM_ID.matcher(trimmed).matches()) {
      return bounds().map(b -> reset(address, "malformed", b.head()));
    }
    long last = Long.parseLong(trimmed);
    return db.sql(
            "SELECT id, type, payload FROM stream_events"
                + " WHERE address = :address AND id > :last ORDER BY id LIMIT :limit")
        .bind("address", address)
        .bind("last", last)
        .bind("limit", maxBacklog + 1)
        .map(
            row ->
                new StreamMessage(
                    row.get("id", Long.class),
                    address,
                    row.get("type", String.class),
                    row.get("payload", String.class)))
        .all()
        .collectList()
        .zipWhen(rows -> bounds())
        .map(
            found -> {
              List<StreamMessage> rows = found.getT1();
              Bounds bounds = found.getT2();
              if (last < bounds.lowWater()) {
                return reset(address, "expired", bounds.head());
              }
              if (last > bounds.head()) {
                return reset(address, "unknown", bounds.head());
              }
              if (rows.size() > maxBacklog) {
                return reset(address, "too_far_behind", bounds.head());
              }
              outcome("resumed");
              return new Start(rows, last);
            });
  }

  /** The retention low-water mark and the highest committed id (at least the mark). */
  private record Bounds(long lowWater, long head) {}

  private Mono<Bounds> bounds() {
    // one row even if the mark's row were missing (e.g. the table emptied by hand): an empty
    // answer would leave the stream without a start and the client without any event
    return db.sql(
            "SELECT m.deleted_through, greatest(m.deleted_through,"
                + " (SELECT coalesce(max(id), 0) FROM stream_events)) AS head"
                + " FROM (SELECT coalesce((SELECT max(deleted_through) FROM stream_retention), 0)"
                + " AS deleted_through) m")
        .map(row -> new Bounds(row.get("deleted_through", Long.class), row.get("head", Long.class)))
        .one();
  }

  private Start reset(String address, String reason, long head) {
    outcome(reason);
    Reset data =
        new Reset(
            RESET,
            address,
            reason,
            switch (reason) {
                  case "malformed" -> "the last event id is not an id of this stream";
                  case "expired" -> "events after the last event id are no longer kept";
                  case "unknown" -> "the last event id is above every event of this stream";
                  default -> "more than " + maxBacklog + " events were missed";
                }
                + "; re-read the REST endpoints of this address, then continue with the events"
                + " after this one");
    return new Start(
        List.of(new StreamMessage(head, address, RESET, json.writeValueAsString(data))), head);
  }

  private void outcome(String outcome) {
    meters.counter("rbtc.gateway.stream.resumes", "outcome", outcome).increment();
  }
}
