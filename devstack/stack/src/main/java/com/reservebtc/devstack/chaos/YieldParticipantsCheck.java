package com.reservebtc.devstack.chaos;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The yield-service's {@code yield_scales_participants}: each holder's rBTC balance equals the
 * rBTC-SYNTH minted to minus burned from them on the canonical chain (what the service documents it
 * follows), and the pool registration, type and contribution equal the pool's.
 */
final class YieldParticipantsCheck implements ReadModelCheck {

  @Override
  public String readModel() {
    return "yield.yield_scales_participants";
  }

  @Override
  public List<Mismatch> check(Verification v) throws Exception {
    Map<String, Map<String, Object>> rows = new HashMap<>();
    for (Map<String, Object> r :
        v.rows(
            "SELECT user_address, participant_type, rbtc_balance_sats, contribution_sats,"
                + " registered_on_chain FROM yield.yield_scales_participants")) {
      rows.put((String) r.get("user_address"), r);
    }
    List<Mismatch> out = new ArrayList<>();
    Map<String, BigInteger> net = v.truth().synthMintedMinusBurned();
    for (Map.Entry<String, BigInteger> entry : net.entrySet()) {
      Map<String, Object> row = rows.get(entry.getKey());
      BigInteger found = row == null ? null : Verification.integer(row.get("rbtc_balance_sats"));
      if (row == null && entry.getValue().signum() == 0) {
        continue;
      }
      if (!entry.getValue().equals(found)) {
        out.add(
            new Mismatch(
                readModel(),
                entry.getKey(),
                "rbtc balance = " + entry.getValue() + " (minted minus burned)",
                row == null ? "no row" : "rbtc balance = " + found));
      }
    }
    for (Map.Entry<String, Map<String, Object>> entry : rows.entrySet()) {
      BigInteger found = Verification.integer(entry.getValue().get("rbtc_balance_sats"));
      if (!net.containsKey(entry.getKey()) && found.signum() != 0) {
        out.add(
            new Mismatch(
                readModel(),
                entry.getKey(),
                "rbtc balance = 0 (no rBTC-SYNTH minted to or burned from it)",
                "rbtc balance = " + found));
      }
    }
    out.addAll(
        YieldParticipantRules.compare(
            readModel(), PoolParticipants.at(v), rows, u -> v.calls().participant(u, v.headTag())));
    return out;
  }
}
