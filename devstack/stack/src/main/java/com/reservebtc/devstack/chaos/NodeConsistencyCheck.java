package com.reservebtc.devstack.chaos;

import com.reservebtc.devstack.chaos.ChainEvent.ContractKind;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The node against itself: every user's fee-vault and wrBTC balance summed from the node's own logs
 * ({@code eth_getLogs}) must equal what {@code eth_call} answers at the frozen head. The services
 * see only logs, the other checks compare them with calls; where the node disagrees with itself the
 * ground truth is ambiguous, and this check names it as the node's, not a read model's, fault.
 */
final class NodeConsistencyCheck implements ReadModelCheck {

  @Override
  public String readModel() {
    return "the node itself (logs vs calls)";
  }

  @Override
  public List<Mismatch> check(Verification v) throws Exception {
    Map<String, BigInteger> feeVault = new HashMap<>();
    Map<String, BigInteger> wrbtc = new HashMap<>();
    for (ChainEvent e : v.truth().events()) {
      if (e.contract() == ContractKind.FEE_VAULT) {
        BigInteger amount = e.number(0);
        switch (e.name()) {
          case "Deposited" -> feeVault.merge(e.address(0), amount, BigInteger::add);
          case "Spent", "Withdrawn" ->
              feeVault.merge(e.address(0), amount.negate(), BigInteger::add);
          default -> {}
        }
      } else if (e.is(ContractKind.VAULT_WRBTC, "Transfer")) {
        BigInteger amount = e.number(0);
        wrbtc.merge(e.address(0), amount.negate(), BigInteger::add);
        wrbtc.merge(e.address(1), amount, BigInteger::add);
      }
    }
    List<Mismatch> out = new ArrayList<>();
    String tag = v.headTag();
    for (String user : v.addresses()) {
      compare(
          out,
          user,
          "fee vault",
          v.calls().feeVaultBalance(user, tag),
          feeVault.getOrDefault(user, BigInteger.ZERO));
      compare(
          out,
          user,
          "wrBTC",
          v.calls().wrbtcBalance(user, tag),
          wrbtc.getOrDefault(user, BigInteger.ZERO));
    }
    return out;
  }

  private void compare(
      List<Mismatch> out, String user, String what, BigInteger byCall, BigInteger byLogs) {
    if (!byCall.equals(byLogs)) {
      out.add(
          new Mismatch(
              readModel(), user, what + " by eth_call = " + byCall, what + " by logs = " + byLogs));
    }
  }
}
