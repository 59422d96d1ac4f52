package com.reservebtc.yield.participants;

import static org.assertj.core.api.Assertions.assertThat;

import com.reservebtc.yield.participants.ParticipantRepository.RegistrationDetails;
import org.junit.jupiter.api.Test;

class RegistrationTextTest {

  private static final RegistrationDetails NONE = new RegistrationDetails(null, 0, null, null);

  @Test
  void offChainOnlyModeNamesTheMissingKey() {
    assertThat(RegistrationText.explain(RegistrationStatus.OFF_CHAIN, false, NONE))
        .startsWith("Off-chain only")
        .contains("RBTC_YIELD_POOL_ORACLE_KEY", "ParticipantJoined");
  }

  @Test
  void everyStatusIsExplained() {
    RegistrationDetails failed =
        new RegistrationDetails("FAILED", 5, "0xabc", "execution reverted");
    for (RegistrationStatus status : RegistrationStatus.values()) {
      assertThat(RegistrationText.explain(status, true, failed)).isNotBlank();
    }
    assertThat(RegistrationText.explain(RegistrationStatus.FAILED, true, failed))
        .contains("5 attempt(s)", "execution reverted");
    assertThat(RegistrationText.explain(RegistrationStatus.SUBMITTED, true, failed))
        .contains("0xabc");
  }
}
