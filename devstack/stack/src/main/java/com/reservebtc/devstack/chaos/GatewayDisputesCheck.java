package com.reservebtc.devstack.chaos;

import com.reservebtc.devstack.chaos.ChainEvent.ContractKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The api-gateway's {@code balance_disputes}: one row per BalanceDisputed log. */
final class GatewayDisputesCheck implements ReadModelCheck {

  @Override
  public String readModel() {
    return "gateway.balance_disputes";
  }

  @Override
  public List<Mismatch> check(Verification v) throws Exception {
    List<LogKeyedComparison.Row> rows = new ArrayList<>();
    for (Map<String, Object> r :
        v.rows(
            "SELECT d.chain_id, d.tx_hash, d.log_index, d.block_hash, d.user_address,"
                + " d.reported_balance, d.oracle_balance, "
                + Verification.finalitySql("gateway", "d")
                + " AS finality FROM gateway.balance_disputes d")) {
      Map<String, String> fields = new LinkedHashMap<>();
      fields.put("user", (String) r.get("user_address"));
      fields.put("reported", LogKeyedComparison.text(r.get("reported_balance")));
      fields.put("oracle", LogKeyedComparison.text(r.get("oracle_balance")));
      fields.put("finality", (String) r.get("finality"));
      rows.add(
          new LogKeyedComparison.Row(
              r.get("chain_id") + ":" + r.get("tx_hash") + ":" + r.get("log_index"),
              (String) r.get("block_hash"),
              fields));
    }
    return LogKeyedComparison.compare(
        readModel(),
        v,
        v.truth().events(ContractKind.YIELD_POOL, "BalanceDisputed"),
        rows,
        e -> {
          Map<String, String> fields = new LinkedHashMap<>();
          fields.put("user", e.address(0));
          fields.put("reported", e.number(0).toString());
          fields.put("oracle", e.number(1).toString());
          fields.put("finality", v.finality().of(e.blockNumber()));
          return fields;
        });
  }
}
