package com.reservebtc.devstack.chaos;

import com.reservebtc.devstack.chaos.ChainEvent.ContractKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The emergency-burn-service's {@code emergency_burns}: one row per OracleAggregator EmergencyBurn
 * and YieldScalesPool EmergencyBurnTriggered log, with user, source, amount and finality.
 */
final class EmergencyBurnsTableCheck implements ReadModelCheck {

  @Override
  public String readModel() {
    return "emergency.emergency_burns";
  }

  @Override
  public List<Mismatch> check(Verification v) throws Exception {
    List<LogKeyedComparison.Row> rows = new ArrayList<>();
    for (Map<String, Object> r :
        v.rows(
            "SELECT b.event_id, b.block_hash, b.user_address, b.source, b.burned_amount_sats, "
                + Verification.finalitySql("emergency", "b")
                + " AS finality FROM emergency.emergency_burns b")) {
      Map<String, String> fields = new LinkedHashMap<>();
      fields.put("user", (String) r.get("user_address"));
      fields.put("source", (String) r.get("source"));
      fields.put("amount", LogKeyedComparison.text(r.get("burned_amount_sats")));
      fields.put("finality", (String) r.get("finality"));
      rows.add(
          new LogKeyedComparison.Row(
              (String) r.get("event_id"), (String) r.get("block_hash"), fields));
    }
    List<ChainEvent> expected = new ArrayList<>();
    for (ChainEvent e : v.truth().events()) {
      if (e.is(ContractKind.ORACLE_AGGREGATOR, "EmergencyBurn")
          || e.is(ContractKind.YIELD_POOL, "EmergencyBurnTriggered")) {
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
          fields.put("user", e.address(0));
          fields.put(
              "source",
              e.contract() == ContractKind.YIELD_POOL ? "YIELD_POOL" : "ORACLE_AGGREGATOR");
          fields.put("amount", e.number(0).toString());
          fields.put("finality", v.finality().of(e.blockNumber()));
          return fields;
        });
  }
}
