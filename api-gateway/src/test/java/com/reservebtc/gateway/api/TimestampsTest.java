package com.reservebtc.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimestampsTest {

  @Test
  void printsRowTimesInUtcWithoutZoneAndAlwaysWithSecondsAndMillis() {
    assertThat(Timestamps.local(Instant.parse("2025-09-23T05:47:00Z")))
        .isEqualTo("2025-09-23T05:47:00.000");
    assertThat(Timestamps.local(Instant.parse("2025-09-23T05:47:51.933Z")))
        .isEqualTo("2025-09-23T05:47:51.933");
  }

  @Test
  void printsResponseTimesWithZ() {
    assertThat(Timestamps.zulu(Instant.parse("2025-09-23T09:28:16.343Z")))
        .isEqualTo("2025-09-23T09:28:16.343Z");
  }

  @Test
  void keepsNull() {
    assertThat(Timestamps.local(null)).isNull();
    assertThat(Timestamps.zulu(null)).isNull();
  }
}
