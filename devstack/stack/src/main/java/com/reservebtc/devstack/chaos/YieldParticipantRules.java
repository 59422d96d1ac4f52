package com.reservebtc.devstack.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a participant row (the yield service's own or the gateway's copy) must say about the pool:
 * registered exactly when the pool has the user active, with the pool's type and contribution.
 */
final class YieldParticipantRules {

  private YieldParticipantRules() {}

  static List<Mismatch> compare(
      String readModel,
      Map<String, ProtocolCalls.PoolParticipant> pool,
      Map<String, Map<String, Object>> rows,
      Function<String, ProtocolCalls.PoolParticipant> onChain) {
    List<Mismatch> out = new ArrayList<>();
    for (Map.Entry<String, ProtocolCalls.PoolParticipant> entry : pool.entrySet()) {
      String user = entry.getKey();
      ProtocolCalls.PoolParticipant p = entry.getValue();
      Map<String, Object> row = rows.get(user);
      if (row == null) {
        out.add(new Mismatch(readModel, user, "a participant (the pool has " + p + ")", "no row"));
        continue;
      }
      String expected =
          "registered = "
              + p.active()
              + ", type = "
              + p.type()
              + (p.active() ? ", contribution = " + p.amount() : "");
      String found =
          "registered = "
              + row.get("registered_on_chain")
              + ", type = "
              + Verification.integer(row.get("participant_type"))
              + (p.active()
                  ? ", contribution = " + Verification.integer(row.get("contribution_sats"))
                  : "");
      if (!expected.equals(found)) {
        out.add(new Mismatch(readModel, user, expected, found));
      }
    }
    for (Map.Entry<String, Map<String, Object>> entry : rows.entrySet()) {
      if (!pool.containsKey(entry.getKey())
          && Boolean.TRUE.equals(entry.getValue().get("registered_on_chain"))) {
        out.add(
            new Mismatch(
                readModel,
                entry.getKey(),
                "not registered (no ParticipantJoined on the canonical chain; the pool has "
                    + onChain.apply(entry.getKey())
                    + ")",
                "registered = true"));
      }
    }
    return out;
  }
}
