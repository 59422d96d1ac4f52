package com.reservebtc.devstack.chaos;

import com.reservebtc.devstack.chaos.ChainEvent.ContractKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * The api-gateway's {@code GET /api/realtime/emergency-burns}: for every address, the
 * OracleAggregator burns listed ({@code userBurns} from the aggregator, by transaction and amount)
 * are exactly the address's EmergencyBurn logs, and {@code hasEmergencyBurns} says whether there
 * are any.
 */
final class GatewayEmergencyBurnsCheck implements ReadModelCheck {

  @Override
  public String readModel() {
    return "gateway /api/realtime/emergency-burns";
  }

  @Override
  public List<Mismatch> check(Verification v) throws Exception {
    Map<String, Map<String, String>> expected = new TreeMap<>();
    for (ChainEvent e : v.truth().events(ContractKind.ORACLE_AGGREGATOR, "EmergencyBurn")) {
      expected
          .computeIfAbsent(e.address(0), k -> new TreeMap<>())
          .put(e.txHash(), e.number(0).toString());
    }
    List<Mismatch> out = new ArrayList<>();
    for (String user : v.addresses()) {
      JsonNode data =
          v.get("api-gateway", "/api/realtime/emergency-burns?address=" + user).path("data");
      Map<String, String> found = new TreeMap<>();
      for (JsonNode burn : data.path("userBurns")) {
        if ("ORACLE_AGGREGATOR".equals(burn.path("source").asString())) {
          found.merge(
              burn.path("tx_hash").asString(),
              burn.path("burned_amount").asString(),
              (a, b) -> a + "+" + b);
        }
      }
      Map<String, String> want = expected.getOrDefault(user, Map.of());
      if (!want.equals(found)) {
        out.add(new Mismatch(readModel(), user, "burns " + want, "burns " + found));
      }
      boolean has = data.path("hasEmergencyBurns").asBoolean();
      if (has != !want.isEmpty()) {
        out.add(
            new Mismatch(
                readModel(),
                user,
                "hasEmergencyBurns = " + !want.isEmpty(),
                "hasEmergencyBurns = " + has));
      }
    }
    return out;
  }
}
