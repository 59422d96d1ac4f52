package com.reservebtc.yield.scales;

import com.reservebtc.schemas.avro.LoyaltyTier;

/**
 * Loyalty tier by time since joining: Bronze below 180 days, Silver from 180 days, Gold from 365
 * days, with yield multipliers of 110, 125 and 150 percent. Ages are whole seconds, as on chain.
 */
public final class LoyaltyTiers {

  public static final long SILVER_AFTER_SECONDS = 180L * 86_400;
  public static final long GOLD_AFTER_SECONDS = 365L * 86_400;

  private LoyaltyTiers() {}

  public static LoyaltyTier tierAt(long ageSeconds) {
    if (ageSeconds >= GOLD_AFTER_SECONDS) {
      return LoyaltyTier.GOLD;
    }
    if (ageSeconds >= SILVER_AFTER_SECONDS) {
      return LoyaltyTier.SILVER;
    }
    return LoyaltyTier.BRONZE;
  }

  public static int multiplierPct(LoyaltyTier tier) {
    return switch (tier) {
      case BRONZE -> 110;
      case SILVER -> 125;
      case GOLD -> 150;
    };
  }
}
