package com.reservebtc.gateway.stream;

import java.util.List;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * Appends stream events to {@code stream_events} inside the caller's JDBC transaction, so an event
 * exists exactly when the change it reports has committed, whichever gateway replica projected it.
 *
 * <p>Guarantees: ids are allocated in commit order. The transaction-scoped advisory lock taken
 * before the ids is held until commit or rollback, so a transaction that takes ids later commits
 * later; a reader that has seen id N never afterwards finds a newly committed row below N, which is
 * what makes "the rows above my last id" a gap-free resume. A rolled-back transaction leaves a hole
 * in the ids, never a row. The lock serializes appending transactions from the append to their
 * commit only, so callers append as late in their transaction as they can. One statement inserts
 * all events (arrays unnested server-side) and notifies {@value #CHANNEL} with the highest id; the
 * notification is delivered at commit, never for a rolled-back transaction.
 *
 * <p>Does not deliver anything itself: {@link StreamRelay} reads the committed rows on every
 * replica.
 */
@Component
public final class StreamLog {

  /** The channel of the commit notifications; the payload is the highest id appended. */
  static final String CHANNEL = "rbtc_gateway_stream_events";

  /** The advisory lock that orders id allocation; a fixed key no other code of the gateway uses. */
  static final long ID_LOCK = 0x72627463_73747265L; // "rbtcstre"

  /** Both statements return one void column. */
  private static final RowCallbackHandler IGNORE = row -> {};

  private final JdbcClient jdbc;
  private final JsonMapper json;

  StreamLog(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /**
   * Appends {@code events} in list order (so a batch keeps each address's order) to the stream of
   * their addresses. Must run inside the projection's JDBC transaction on the gateway's data
   * source: the rows commit or roll back with the projection's changes.
   *
   * @throws IllegalStateException without an active transaction
   */
  public void append(List<StreamEvent> events) {
    if (!TransactionSynchronizationManager.isActualTransactionActive()) {
      throw new IllegalStateException(
          "StreamLog.append must run inside the projection's database transaction, so that"
              + " events exist only for committed changes");
    }
    if (events.isEmpty()) {
      return;
    }
    String[] addresses = new String[events.size()];
    String[] types = new String[events.size()];
    String[] payloads = new String[events.size()];
    for (int i = 0; i < events.size(); i++) {
      StreamEvent event = events.get(i);
      addresses[i] = event.address();
      types[i] = event.type();
      payloads[i] = json.writeValueAsString(event);
    }
    jdbc.sql("SELECT pg_advisory_xact_lock(?)").param(ID_LOCK).query(IGNORE);
    // ids are drawn in the unnested (ordinal) order: nextval runs as the rows are produced
    jdbc.sql(
            """
            WITH appended AS (
              INSERT INTO stream_events (id, address, type, payload)
              SELECT nextval('stream_event_ids'), e.address, e.type, e.payload
              FROM unnest(?::text[], ?::text[], ?::text[]) WITH ORDINALITY
                AS e(address, type, payload, n)
              ORDER BY e.n
              RETURNING id)
            SELECT pg_notify(?, max(id)::text) FROM appended
            """)
        .params(addresses, types, payloads, CHANNEL)
        .query(IGNORE);
  }
}
