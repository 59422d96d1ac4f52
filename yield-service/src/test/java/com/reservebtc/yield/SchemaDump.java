package com.reservebtc.yield;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The content of the tables of the service's schema, each row as Postgres' text form of the chosen
 * columns, ordered by primary key (key-less relations by the row text).
 */
public final class SchemaDump {

  /** Wall-clock columns: when a row was written, not what it says. */
  static final Set<String> WALL_CLOCK_COLUMNS =
      Set.of("updated_at", "created_at", "processed_at", "replayed_at", "published_at");

  /**
   * Tables that are not a function of the consumed topics: the outbox (every rebuild publishes
   * again), replayed dead letters, registrations and pool checks (this service's own work with the
   * chain), their audit rows, and the migration histories.
   */
  static final Set<String> NOT_DERIVED =
      Set.of(
          "chain_outbox",
          "dead_letter_replays",
          "pool_registrations",
          "pool_contributions",
          "yield_operations_log",
          "flyway_schema_history",
          "chain_consumer_schema_history");

  private SchemaDump() {}

  /** Every table and view, every column. */
  static Map<String, List<String>> of(JdbcClient jdbc) {
    return of(jdbc, Set.of(), Set.of());
  }

  /** The tables derived from the topics, without wall-clock columns. */
  public static Map<String, List<String>> derived(JdbcClient jdbc) {
    return of(jdbc, NOT_DERIVED, WALL_CLOCK_COLUMNS);
  }

  static Map<String, List<String>> of(
      JdbcClient jdbc, Set<String> skippedTables, Set<String> skippedColumns) {
    List<String> relations =
        jdbc.sql(
                """
                select table_name from information_schema.tables
                where table_schema = current_schema() order by table_name
                """)
            .query(String.class)
            .list();
    Map<String, List<String>> dump = new LinkedHashMap<>();
    for (String relation : relations) {
      if (skippedTables.contains(relation)) {
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
