package com.reservebtc.emergency;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The full content of every table and view of the service's schema, each row as Postgres' text
 * form, ordered by primary key (views and key-less relations by the row text).
 */
final class SchemaDump {

  private SchemaDump() {}

  static Map<String, List<String>> of(JdbcClient jdbc) {
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
          jdbc.sql("select t::text from " + quoteIdent(relation) + " t order by " + orderBy)
              .query(String.class)
              .list());
    }
    return dump;
  }

  /** Columns holding when a row was written, which a rebuild cannot reproduce. */
  private static final Set<String> WRITE_TIMES =
      Set.of("created_at", "updated_at", "published_at", "replayed_at");

  /** Queues and logs of what happened, not state derived from the topics. */
  private static final Set<String> NOT_DERIVED =
      Set.of(
          "chain_outbox",
          "dead_letter_replays",
          "flyway_schema_history",
          "chain_consumer_schema_history");

  /**
   * Like {@link #of} for the tables derived from the topics only, without the columns that record
   * when a row was written: what a rebuild from offset 0 must reproduce exactly.
   */
  static Map<String, List<String>> withoutWriteTimes(JdbcClient jdbc) {
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
      if (NOT_DERIVED.contains(relation)) {
        continue;
      }
      List<String> columns =
          jdbc
              .sql(
                  """
                  select quote_ident(column_name) from information_schema.columns
                  where table_schema = current_schema() and table_name = ?
                  order by ordinal_position
                  """)
              .param(relation)
              .query(String.class)
              .list()
              .stream()
              .filter(c -> !WRITE_TIMES.contains(c))
              .toList();
      String row = "row(" + String.join(", ", columns) + ")::text";
      dump.put(
          relation,
          jdbc.sql("select " + row + " from " + quoteIdent(relation) + " order by 1")
              .query(String.class)
              .list());
    }
    return dump;
  }

  private static String quoteIdent(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }
}
