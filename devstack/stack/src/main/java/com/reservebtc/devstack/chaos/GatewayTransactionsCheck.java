package com.reservebtc.devstack.chaos;

import com.reservebtc.devstack.chaos.ChainEvent.ContractKind;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The api-gateway's {@code transactions} table: one row per log of every token, fee-vault, sync and
 * emergency-burn event (pool events other than EmergencyBurnTriggered are not transactions), keyed
 * by the gateway's user (a Transfer's sender, a mint's recipient), with the amount, the finality of
 * its block and, on a Synced row, whether its transaction burned the user's whole balance.
 */
final class GatewayTransactionsCheck implements ReadModelCheck {

  @Override
  public String readModel() {
    return "gateway.transactions";
  }

  @Override
  public List<Mismatch> check(Verification v) throws Exception {
    List<ChainEvent> expected = new ArrayList<>();
    Set<String> burnedInTx = new HashSet<>();
    for (ChainEvent e : v.truth().events()) {
      if (listed(e)) {
        expected.add(e);
      }
      if (e.is(ContractKind.ORACLE_AGGREGATOR, "EmergencyBurn")) {
        burnedInTx.add(e.txHash() + ":" + e.address(0));
      }
    }
    List<LogKeyedComparison.Row> rows = new ArrayList<>();
    for (Map<String, Object> r :
        v.rows(
            "SELECT t.chain_id, t.tx_hash, t.log_index, t.block_hash, t.event_name,"
                + " t.user_address, t.amount, "
                + Verification.finalitySql("gateway", "t")
                + " AS finality, t.is_emergency_burn FROM gateway.transactions t")) {
      Map<String, String> fields = new LinkedHashMap<>();
      fields.put("event", (String) r.get("event_name"));
      fields.put("user", (String) r.get("user_address"));
      fields.put("amount", LogKeyedComparison.text(r.get("amount")));
      fields.put("finality", (String) r.get("finality"));
      fields.put("emergency", String.valueOf(r.get("is_emergency_burn")));
      rows.add(
          new LogKeyedComparison.Row(
              r.get("chain_id") + ":" + r.get("tx_hash") + ":" + r.get("log_index"),
              (String) r.get("block_hash"),
              fields));
    }
    return LogKeyedComparison.compare(
        readModel(),
        v,
        expected,
        rows,
        e -> {
          Map<String, String> fields = new LinkedHashMap<>();
          fields.put("event", e.name());
          fields.put("user", user(e));
          fields.put("amount", amount(e).toString());
          fields.put("finality", v.finality().of(e.blockNumber()));
          boolean emergency =
              e.name().equals("Synced") && burnedInTx.contains(e.txHash() + ":" + e.address(0))
                  || e.name().startsWith("EmergencyBurn");
          fields.put("emergency", String.valueOf(emergency));
          return fields;
        });
  }

  static boolean listed(ChainEvent e) {
    if (e.contract() == ContractKind.YIELD_POOL) {
      return e.name().equals("EmergencyBurnTriggered");
    }
    return true;
  }

  /** The gateway's user of a log: a Transfer's sender, or its recipient for a mint. */
  private static String user(ChainEvent e) {
    if (e.name().equals("Transfer")) {
      return e.isMint() ? e.address(1) : e.address(0);
    }
    return e.address(0);
  }

  private static BigInteger amount(ChainEvent e) {
    return e.name().equals("Synced") ? e.number(1).abs() : e.number(0);
  }
}
