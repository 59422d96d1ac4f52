package com.reservebtc.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoyaltyTiersTest {

  private static final Instant JOINED = Instant.parse("2025-01-01T00:00:00Z");

  @Test
  void tiersChangeExactlyAt180And365Days() {
    assertThat(LoyaltyTiers.tierAt(JOINED, JOINED)).isEqualTo("BRONZE");
    assertThat(LoyaltyTiers.tierAt(JOINED, JOINED.plus(Duration.ofDays(180)).minusSeconds(1)))
        .isEqualTo("BRONZE");
    assertThat(LoyaltyTiers.tierAt(JOINED, JOINED.plus(Duration.ofDays(180)))).isEqualTo("SILVER");
    assertThat(LoyaltyTiers.tierAt(JOINED, JOINED.plus(Duration.ofDays(365)).minusSeconds(1)))
        .isEqualTo("SILVER");
    assertThat(LoyaltyTiers.tierAt(JOINED, JOINED.plus(Duration.ofDays(365)))).isEqualTo("GOLD");
  }

  @Test
  void multipliersFollowTheTier() {
    assertThat(LoyaltyTiers.multiplierPercent("BRONZE")).isEqualTo(110);
    assertThat(LoyaltyTiers.multiplierPercent("SILVER")).isEqualTo(125);
    assertThat(LoyaltyTiers.multiplierPercent("GOLD")).isEqualTo(150);
    assertThatThrownBy(() -> LoyaltyTiers.multiplierPercent("PLATINUM"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
