package com.reservebtc.devstack.chaos;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The yield-service's rBTC-SYNTH supply: the {@code supply_after} / {@code peak_after} of the
 * chain's last MINT or BURN row of {@code yield_ledger} in chain order (what the service reads as
 * the pool's supply). The supply equals rBTC-SYNTH's {@code totalSupply} at the head, the peak the
 * highest supply over the canonical chain's mints and burns in (block, log index) order.
 */
final class YieldTotalsCheck implements ReadModelCheck {

  @Override
  public String readModel() {
    return "yield.yield_ledger (supply)";
  }

  @Override
  public List<Mismatch> check(Verification v) throws Exception {
    List<Map<String, Object>> rows =
        v.rows(
            "SELECT supply_after, peak_after FROM yield.yield_ledger"
                + " WHERE chain_id = "
                + v.truth().chainId()
                + " AND kind IN ('MINT', 'BURN')"
                + " ORDER BY block_number DESC, log_index DESC, event_id DESC LIMIT 1");
    BigInteger supply = v.calls().synthTotalSupply(v.headTag());
    BigInteger inChainOrder = v.truth().peakSynthSupply();
    String expected =
        "supply = " + supply + ", peak = " + inChainOrder + " (highest supply in chain order)";
    BigInteger foundSupply =
        rows.isEmpty() ? BigInteger.ZERO : Verification.integer(rows.get(0).get("supply_after"));
    BigInteger foundPeak =
        rows.isEmpty() ? BigInteger.ZERO : Verification.integer(rows.get(0).get("peak_after"));
    List<Mismatch> out = new ArrayList<>();
    if (!supply.equals(foundSupply) || !inChainOrder.equals(foundPeak)) {
      out.add(
          new Mismatch(
              readModel(),
              "the last mint or burn",
              expected,
              "supply = " + foundSupply + ", peak = " + foundPeak));
    }
    return out;
  }
}
