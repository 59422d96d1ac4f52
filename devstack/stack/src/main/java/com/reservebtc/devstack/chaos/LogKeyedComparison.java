package com.reservebtc.devstack.chaos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The comparison every read model with one row per chain log needs: each canonical log exactly
 * once, from its canonical block, with the expected values; no row for any other log.
 */
final class LogKeyedComparison {

  /**
   * One row of a read model.
   *
   * @param eventId {@code chainId:txHash:logIndex}
   * @param blockHash the block the row says the log is in
   * @param fields the compared values, by name, as text
   */
  record Row(String eventId, String blockHash, Map<String, String> fields) {}

  private LogKeyedComparison() {}

  static List<Mismatch> compare(
      String readModel,
      Verification v,
      List<ChainEvent> expected,
      List<Row> found,
      Function<ChainEvent, Map<String, String>> expectedFields) {
    List<Mismatch> out = new ArrayList<>();
    Map<String, List<Row>> byId = new LinkedHashMap<>();
    for (Row row : found) {
      byId.computeIfAbsent(row.eventId(), k -> new ArrayList<>()).add(row);
    }
    Map<String, ChainEvent> canonical = new LinkedHashMap<>();
    expected.forEach(e -> canonical.put(e.eventId(), e));
    for (ChainEvent e : expected) {
      List<Row> rows = byId.getOrDefault(e.eventId(), List.of());
      if (rows.isEmpty()) {
        out.add(new Mismatch(readModel, e.describe(), "one row", "none"));
        continue;
      }
      if (rows.size() > 1) {
        out.add(new Mismatch(readModel, e.describe(), "one row", rows.size() + " rows"));
      }
      Row row = rows.get(0);
      if (!e.blockHash().equalsIgnoreCase(row.blockHash())) {
        out.add(
            new Mismatch(
                readModel,
                e.describe(),
                "the row from block " + e.blockHash(),
                "a row from block "
                    + row.blockHash()
                    + " ("
                    + v.whyNotCanonical(e.eventId() + "@" + row.blockHash())
                    + ")"));
        continue;
      }
      Map<String, String> want = expectedFields.apply(e);
      for (Map.Entry<String, String> field : want.entrySet()) {
        String got = row.fields().get(field.getKey());
        if (!Objects.equals(field.getValue(), got)) {
          out.add(
              new Mismatch(
                  readModel,
                  e.describe(),
                  field.getKey() + " = " + field.getValue(),
                  field.getKey() + " = " + got));
        }
      }
    }
    for (Map.Entry<String, List<Row>> entry : byId.entrySet()) {
      if (!canonical.containsKey(entry.getKey())) {
        for (Row row : entry.getValue()) {
          String publication = row.eventId() + "@" + row.blockHash();
          out.add(
              new Mismatch(
                  readModel,
                  publication,
                  "no row (" + v.whyNotCanonical(publication) + ")",
                  "a row " + row.fields()));
        }
      }
    }
    return out;
  }

  static String text(Object value) {
    if (value == null) {
      return null;
    }
    Object number = value instanceof Number ? Verification.integer(value) : value;
    return String.valueOf(number);
  }
}
