package com.reservebtc.devstack.chaos;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The api-gateway's {@code GET /api/realtime/balances} for every address: rBTC equals the
 * aggregator's {@code lastSats}, wrBTC the vault's {@code balanceOf}, the fee-vault balance the fee
 * vault's {@code balanceOf}, all by {@code eth_call} at the frozen head.
 */
final class GatewayBalancesCheck implements ReadModelCheck {

  @Override
  public String readModel() {
    return "gateway /api/realtime/balances";
  }

  @Override
  public List<Mismatch> check(Verification v) throws Exception {
    List<Mismatch> out = new ArrayList<>();
    String tag = v.headTag();
    for (String user : v.addresses()) {
      JsonNode b = v.get("api-gateway", "/api/realtime/balances?address=" + user);
      compare(
          out,
          user,
          "rbtc",
          Long.toString(v.calls().lastSats(user, tag)),
          b.path("rbtc").asString());
      compare(
          out,
          user,
          "wrbtc",
          v.calls().wrbtcBalance(user, tag).toString(),
          b.path("wrbtc").asString());
      compare(
          out,
          user,
          "feeVaultWei",
          v.calls().feeVaultBalance(user, tag).toString(),
          b.path("feeVaultWei").asString());
    }
    return out;
  }

  private void compare(
      List<Mismatch> out, String user, String field, String expected, String found) {
    if (!expected.equals(found)) {
      out.add(new Mismatch(readModel(), user, field + " = " + expected, field + " = " + found));
    }
  }
}
