package com.reservebtc.devstack.chaos;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The yield-service's {@code yield_pool_totals}: the supply equals rBTC-SYNTH's {@code totalSupply}
 * at the head, the peak the highest supply over the canonical chain's mints and burns in (block,
 * log index) order.
 */
final class YieldTotalsCheck implements ReadModelCheck {

  @Override
  public String readModel() {
    return "yield.yield_pool_totals";
  }

  @Override
  public List<Mismatch> check(Verification v) throws Exception {
    List<Map<String, Object>> rows =
        v.rows("SELECT total_supply_sats, peak_supply_sats FROM yield.yield_pool_totals");
    BigInteger supply = v.calls().synthTotalSupply(v.headTag());
    BigInteger inChainOrder = v.truth().peakSynthSupply();
    BigInteger pools = v.calls().peakSupply(v.headTag());
    String expected =
        "supply = "
            + supply
            + ", peak = "
            + inChainOrder
            + " (highest supply in chain order)"
            + (pools.equals(inChainOrder) ? "" : " or " + pools + " (the pool's peakSupply)");
    if (rows.size() != 1) {
      return List.of(new Mismatch(readModel(), "the totals row", expected, rows.size() + " rows"));
    }
    BigInteger foundSupply = Verification.integer(rows.get(0).get("total_supply_sats"));
    BigInteger foundPeak = Verification.integer(rows.get(0).get("peak_supply_sats"));
    List<Mismatch> out = new ArrayList<>();
    if (!supply.equals(foundSupply)
        || !(foundPeak.equals(inChainOrder) || foundPeak.equals(pools))) {
      out.add(
          new Mismatch(
              readModel(),
              "the totals row",
              expected,
              "supply = " + foundSupply + ", peak = " + foundPeak));
    }
    return out;
  }
}
