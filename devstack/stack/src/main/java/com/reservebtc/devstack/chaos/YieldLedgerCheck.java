package com.reservebtc.devstack.chaos;

import com.reservebtc.devstack.chaos.ChainEvent.ContractKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The yield-service's {@code yield_ledger}: one row per canonical event that concerns the pool
 * (rBTC-SYNTH mints and burns, the aggregator's EmergencyBurn, the pool's EmergencyBurnTriggered,
 * ParticipantJoined, YieldClaimed and BalanceDisputed), from its canonical block, with the kind,
 * user and amount the event carries.
 */
final class YieldLedgerCheck implements ReadModelCheck {

  @Override
  public String readModel() {
    return "yield.yield_ledger";
  }

  @Override
  public List<Mismatch> check(Verification v) throws Exception {
    List<LogKeyedComparison.Row> rows = new ArrayList<>();
    for (Map<String, Object> r :
        v.rows(
            "SELECT event_id, block_hash, kind, user_address, amount, participant_type"
                + " FROM yield.yield_ledger")) {
      Map<String, String> fields = new LinkedHashMap<>();
      fields.put("kind", (String) r.get("kind"));
      fields.put("user", (String) r.get("user_address"));
      fields.put("amount", LogKeyedComparison.text(r.get("amount")));
      fields.put("type", LogKeyedComparison.text(r.get("participant_type")));
      rows.add(
          new LogKeyedComparison.Row(
              (String) r.get("event_id"), (String) r.get("block_hash"), fields));
    }
    List<ChainEvent> expected = new ArrayList<>();
    for (ChainEvent e : v.truth().events()) {
      if (kind(e) != null) {
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
          String kind = kind(e);
          fields.put("kind", kind);
          fields.put("user", e.isMint() ? e.address(1) : e.address(0));
          fields.put("amount", (kind.equals("JOINED") ? e.number(1) : e.number(0)).toString());
          fields.put("type", kind.equals("JOINED") ? e.number(0).toString() : null);
          return fields;
        });
  }

  /** The ledger kind of an event, or null when the pool does not follow it. */
  static String kind(ChainEvent e) {
    if (e.contract() == ContractKind.RBTC_SYNTH) {
      return e.isMint() ? "MINT" : e.isBurn() ? "BURN" : null;
    }
    if (e.is(ContractKind.ORACLE_AGGREGATOR, "EmergencyBurn")) {
      return "AGGREGATOR_BURN";
    }
    if (e.contract() != ContractKind.YIELD_POOL) {
      return null;
    }
    return switch (e.name()) {
      case "EmergencyBurnTriggered" -> "POOL_BURN";
      case "ParticipantJoined" -> "JOINED";
      case "YieldClaimed" -> "CLAIMED";
      case "BalanceDisputed" -> "DISPUTED";
      default -> null;
    };
  }
}
