package com.reservebtc.devstack.chaos;

import com.reservebtc.devstack.chaos.ChainEvent.ContractKind;
import java.util.Map;
import java.util.TreeMap;

/**
 * The YieldScalesPool's participants at the frozen head: every address with a canonical
 * ParticipantJoined log, read by {@code eth_call participants(user)}.
 */
final class PoolParticipants {

  private PoolParticipants() {}

  static Map<String, ProtocolCalls.PoolParticipant> at(Verification v) {
    Map<String, ProtocolCalls.PoolParticipant> out = new TreeMap<>();
    for (ChainEvent e : v.truth().events(ContractKind.YIELD_POOL, "ParticipantJoined")) {
      out.put(e.address(0), v.calls().participant(e.address(0), v.headTag()));
    }
    return out;
  }
}
