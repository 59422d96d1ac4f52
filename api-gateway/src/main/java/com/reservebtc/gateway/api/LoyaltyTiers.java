package com.reservebtc.gateway.api;

import java.time.Duration;
import java.time.Instant;

/**
 * The YieldScalesPool loyalty tiers by time since joining: BRONZE below 180 days, SILVER from 180
 * days, GOLD from 365 days; yield multipliers 110, 125 and 150 percent.
 */
public final class LoyaltyTiers {

  static final Duration SILVER_AFTER = Duration.ofDays(180);
  static final Duration GOLD_AFTER = Duration.ofDays(365);

  private LoyaltyTiers() {}

  /** The tier of a participant that joined at {@code joinedAt}, as of {@code now}. */
  public static String tierAt(Instant joinedAt, Instant now) {
    Duration age = Duration.between(joinedAt, now);
    if (age.compareTo(GOLD_AFTER) >= 0) {
      return "GOLD";
    }
    if (age.compareTo(SILVER_AFTER) >= 0) {
      return "SILVER";
    }
    return "BRONZE";
  }

  public static int multiplierPercent(String tier) {
    return switch (tier) {
      case "GOLD" -> 150;
      case "SILVER" -> 125;
      case "BRONZE" -> 110;
      default -> throw new IllegalArgumentException("unknown loyalty tier " + tier);
    };
  }

  /** The JSON of a participant state, with the tier as of {@code now}. */
  public static YieldParticipantJson participant(
      int participantType,
      boolean eligible,
      boolean registeredOnChain,
      long contributionSats,
      String accruedYield,
      Instant joinedAt,
      Instant updatedAt,
      YieldPoolJson pool,
      Instant now) {
    String tier = tierAt(joinedAt, now);
    return new YieldParticipantJson(
        participantType,
        participantType == 0 ? "BITCOIN_HOLDER" : "TRADER",
        eligible,
        registeredOnChain,
        tier,
        multiplierPercent(tier),
        contributionSats,
        accruedYield,
        Timestamps.local(joinedAt),
        Timestamps.local(updatedAt),
        pool);
  }
}
