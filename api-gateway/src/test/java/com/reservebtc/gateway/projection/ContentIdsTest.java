package com.reservebtc.gateway.projection;

import static org.assertj.core.api.Assertions.assertThat;

import com.reservebtc.schemas.avro.AlertKind;
import com.reservebtc.schemas.avro.EmergencyAlert;
import org.junit.jupiter.api.Test;

class ContentIdsTest {

  private static EmergencyAlert alert(AlertKind kind, long at) {
    return EmergencyAlert.newBuilder()
        .setUser("0x" + "ab".repeat(20))
        .setKind(kind)
        .setMessage("Deposit ETH into the fee vault.")
        .setOccurredAtMillis(at)
        .build();
  }

  @Test
  void aRepublishedRecordHasTheSameIdAndAnyDifferenceChangesIt() {
    String id = ContentIds.of("alert", alert(AlertKind.AT_RISK, 1_000));
    assertThat(ContentIds.of("alert", alert(AlertKind.AT_RISK, 1_000))).isEqualTo(id);
    assertThat(id).startsWith("alert:").hasSize("alert:".length() + 64);
    assertThat(ContentIds.of("alert", alert(AlertKind.CLEARED, 1_000))).isNotEqualTo(id);
    assertThat(ContentIds.of("alert", alert(AlertKind.AT_RISK, 1_001))).isNotEqualTo(id);
  }
}
