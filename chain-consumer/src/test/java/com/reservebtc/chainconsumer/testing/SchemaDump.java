package com.reservebtc.chainconsumer.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The content of a service's schema (the connection's current schema) for comparing two states of
 * it: each relation's rows as PostgreSQL's text form of the chosen columns, ordered by primary key
 * (relations without one, such as views, by the row text).
 */
public final class SchemaDump {

  /** Wall-clock columns: when a row was written, which a rebuild cannot reproduce. */
  public static final Set<String> WALL_CLOCK_COLUMNS =
      Set.of("updated_at", "created_at", "processed_at", "replayed_at", "published_at");

  /**
   * The chain-consumer's tables that are not a function of the consumed topics: the outbox (every
   * rebuild publishes again), replayed dead letters and the migration histories.
   */
  public static final Set<String> CONSUMER_NOT_DERIVED =
      Set.of(
          "chain_outbox",
          "dead_letter_replays",
          "flyway_schema_history",
          "chain_consumer_schema_history");

  private SchemaDump() {}

  /** Every table and view, every column. */
  public static Map<String, List<String>> of(JdbcClient jdbc) {
    return of(jdbc, Set.of(), Set.of());
  }

  /**
   * What a rebuild from offset 0 must reproduce exactly: the relations derived from the topics (all
   * but {@link #CONSUMER_NOT_DERIVED} and the service's own {@code notDerived}), without {@link
   * #WALL_CLOCK_COLUMNS}.
   */
  public static Map<String, List<String>> derived(JdbcClient jdbc, Set<String> notDerived) {
    Set<String> skipped =
        Set.copyOf(Stream.concat(CONSUMER_NOT_DERIVED.stream(), notDerived.stream()).toList());
    return of(jdbc, skipped, WALL_CLOCK_COLUMNS);
  }

  public static Map<String, List<String>> of(
      JdbcClient jdbc, Set<String> skippedRelations, Set<String> skippedColumns) {
    List<String> relations =
        jdbc.sql(
                """
                select table_name::text from information_schema.tables
                where table_schema = current_schema() order by table_name
                """)
            .query(String.class)
            .list();
    Map<String, List<String>> dump = new LinkedHashMap<>();
    for (String relation : relations) {
      if (skippedRelations.contains(relation)) {
        continue;
      }
      List<String> columns =
          jdbc
              .sql(
                  """
                  select quote_ident(column_name::text) from information_schema.columns
                  where table_schema = current_schema() and table_name = ?
                  order by ordinal_position
                  """)
              .param(relation)
              .query(String.class)
              .list()
              .stream()
              .filter(c -> !skippedColumns.contains(c))
              .toList();
      List<String> key =
          jdbc.sql(
                  """
                  select quote_ident(a.attname) from pg_index i
                  join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
                  where i.indrelid = to_regclass(quote_ident(?)) and i.indisprimary
                  order by array_position(i.indkey::int2[], a.attnum)
                  """)
              .param(relation)
              .query(String.class)
              .list();
      String orderBy = key.isEmpty() ? "1" : String.join(", ", key) + ", 1";
      dump.put(
          relation,
          jdbc.sql(
                  "select row("
                      + String.join(", ", columns)
                      + ")::text from "
                      + quoteIdent(relation)
                      + " order by "
                      + orderBy)
              .query(String.class)
              .list());
    }
    return dump;
  }

  private static String quoteIdent(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }
}
