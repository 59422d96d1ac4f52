package com.reservebtc.devstack.chaos;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The api-gateway's {@code yield_scales_participants}: every pool participant is there, registered
 * on chain, with the pool's participant type and the pool's contribution ({@code
 * participants(user).amount}); no row claims a registration the pool does not have.
 */
final class GatewayYieldParticipantsCheck implements ReadModelCheck {

  @Override
  public String readModel() {
    return "gateway.yield_scales_participants";
  }

  @Override
  public List<Mismatch> check(Verification v) throws Exception {
    Map<String, Map<String, Object>> rows = new HashMap<>();
    for (Map<String, Object> r :
        v.rows(
            "SELECT user_address, participant_type, registered_on_chain, contribution_sats"
                + " FROM gateway.yield_scales_participants")) {
      rows.put((String) r.get("user_address"), r);
    }
    return YieldParticipantRules.compare(
        readModel(), PoolParticipants.at(v), rows, u -> v.calls().participant(u, v.headTag()));
  }
}
