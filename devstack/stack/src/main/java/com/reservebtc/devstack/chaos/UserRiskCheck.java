package com.reservebtc.devstack.chaos;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The emergency-burn-service's {@code user_risk}: each user's rBTC balance equals the aggregator's
 * {@code lastSats}, the fee-vault balance the vault's {@code balanceOf}, and {@code at_risk} holds
 * exactly when the user has rBTC but less in the vault than a downward sync's fixed fee.
 */
final class UserRiskCheck implements ReadModelCheck {

  /** FeePolicy's fixedWei in the local deployment: the fee of a downward sync. */
  static final BigInteger DOWNWARD_SYNC_FEE_WEI = BigInteger.TEN.pow(15);

  @Override
  public String readModel() {
    return "emergency.user_risk";
  }

  @Override
  public List<Mismatch> check(Verification v) throws Exception {
    List<Mismatch> out = new ArrayList<>();
    String tag = v.headTag();
    for (Map<String, Object> r :
        v.rows(
            "SELECT user_address, rbtc_balance_sats, fee_vault_balance_wei, at_risk"
                + " FROM emergency.user_risk")) {
      String user = (String) r.get("user_address");
      long sats = v.calls().lastSats(user, tag);
      BigInteger vault = v.calls().feeVaultBalance(user, tag);
      boolean atRisk = sats > 0 && vault.compareTo(DOWNWARD_SYNC_FEE_WEI) < 0;
      String expected = "rbtc = " + sats + ", fee vault = " + vault + ", at risk = " + atRisk;
      String found =
          "rbtc = "
              + Verification.integer(r.get("rbtc_balance_sats"))
              + ", fee vault = "
              + Verification.integer(r.get("fee_vault_balance_wei"))
              + ", at risk = "
              + r.get("at_risk");
      if (!expected.equals(found)) {
        out.add(new Mismatch(readModel(), user, expected, found));
      }
    }
    return out;
  }
}
