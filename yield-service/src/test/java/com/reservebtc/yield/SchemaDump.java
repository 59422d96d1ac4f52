package com.reservebtc.yield;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  private static String quoteIdent(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }
}
