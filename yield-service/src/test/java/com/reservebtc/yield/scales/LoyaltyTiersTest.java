package com.reservebtc.yield.scales;

import static org.assertj.core.api.Assertions.assertThat;

import com.reservebtc.schemas.avro.LoyaltyTier;
import org.junit.jupiter.api.Test;

class LoyaltyTiersTest {

  private static final long DAY = 86_400;

  @Test
  void bronzeUntilJustBefore180Days() {
    assertThat(LoyaltyTiers.tierAt(0)).isEqualTo(LoyaltyTier.BRONZE);
    assertThat(LoyaltyTiers.tierAt(180 * DAY - 1)).isEqualTo(LoyaltyTier.BRONZE);
  }

  @Test
  void silverFrom180DaysUntilJustBefore365() {
    assertThat(LoyaltyTiers.tierAt(180 * DAY)).isEqualTo(LoyaltyTier.SILVER);
    assertThat(LoyaltyTiers.tierAt(365 * DAY - 1)).isEqualTo(LoyaltyTier.SILVER);
  }

  @Test
  void goldFrom365Days() {
    assertThat(LoyaltyTiers.tierAt(365 * DAY)).isEqualTo(LoyaltyTier.GOLD);
    assertThat(LoyaltyTiers.tierAt(10 * 365 * DAY)).isEqualTo(LoyaltyTier.GOLD);
  }

  @Test
  void multipliersAre110125And150Percent() {
    assertThat(LoyaltyTiers.multiplierPct(LoyaltyTier.BRONZE)).isEqualTo(110);
    assertThat(LoyaltyTiers.multiplierPct(LoyaltyTier.SILVER)).isEqualTo(125);
    assertThat(LoyaltyTiers.multiplierPct(LoyaltyTier.GOLD)).isEqualTo(150);
  }
}
