package com.reservebtc.devstack.chaos;

import com.reservebtc.devstack.chaos.ChainEvent.ContractKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The yield-service's {@code yield_scales_state}: one row per YieldCalculated and
 * ScalesBalanceUpdated log, with the event's values and its block's finality.
 */
final class YieldScalesStateCheck implements ReadModelCheck {

  @Override
  public String readModel() {
    return "yield.yield_scales_state";
  }

  @Override
  public List<Mismatch> check(Verification v) throws Exception {
    List<LogKeyedComparison.Row> rows = new ArrayList<>();
    for (Map<String, Object> r :
        v.rows(
            "SELECT s.event_id, s.block_hash, s.kind, s.total_usdt_virtual,"
                + " s.total_rbtc_supply, s.current_yield_rate, s.usdt_scale, s.rbtc_scale,"
                + " s.scale_timestamp, "
                + Verification.finalitySql("yield", "s")
                + " AS finality FROM yield.yield_scales_state s")) {
      Map<String, String> fields = new LinkedHashMap<>();
      boolean calculated = "YIELD_CALCULATED".equals(r.get("kind"));
      fields.put("kind", (String) r.get("kind"));
      fields.put(
          "values",
          calculated
              ? List.of(
                      LogKeyedComparison.text(r.get("total_usdt_virtual")),
                      LogKeyedComparison.text(r.get("total_rbtc_supply")),
                      LogKeyedComparison.text(r.get("current_yield_rate")))
                  .toString()
              : List.of(
                      LogKeyedComparison.text(r.get("usdt_scale")),
                      LogKeyedComparison.text(r.get("rbtc_scale")),
                      LogKeyedComparison.text(r.get("scale_timestamp")))
                  .toString());
      fields.put("finality", (String) r.get("finality"));
      rows.add(
          new LogKeyedComparison.Row(
              (String) r.get("event_id"), (String) r.get("block_hash"), fields));
    }
    List<ChainEvent> expected = new ArrayList<>();
    for (ChainEvent e : v.truth().events()) {
      if (e.is(ContractKind.YIELD_POOL, "YieldCalculated")
          || e.is(ContractKind.YIELD_POOL, "ScalesBalanceUpdated")) {
        expected.add(e);
      }
    }
    return LogKeyedComparison.compare(
        readModel(),
        v,
        expected,
        rows,
        e -> {
          Map<String, String> fields = new LinkedHashMap<>();
          fields.put(
              "kind",
              e.name().equals("YieldCalculated") ? "YIELD_CALCULATED" : "SCALES_BALANCE_UPDATED");
          fields.put("values", e.numbers().stream().map(Object::toString).toList().toString());
          fields.put("finality", v.finality().of(e.blockNumber()));
          return fields;
        });
  }
}
