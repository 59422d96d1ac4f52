package com.reservebtc.esplora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FaultInjectorTest {
  private final FaultInjector faults = new FaultInjector();

  @Test
  void noFaultByDefault() {
    assertThat(faults.claim("/blocks/tip/height")).isEmpty();
    assertThat(faults.current()).isNull();
  }

  @Test
  void aCountedFaultAffectsExactlyThatManyRequestsThenClears() {
    faults.set(FaultRule.of(FaultMode.HTTP429).withRemaining(2L));

    assertThat(faults.claim("/a")).isPresent();
    assertThat(faults.current().remaining()).isEqualTo(1L);
    assertThat(faults.claim("/b")).isPresent();
    assertThat(faults.claim("/c")).isEmpty();
    assertThat(faults.current()).isNull();
  }

  @Test
  void aPrefixedFaultLeavesOtherPathsAloneAndDoesNotSpendItsCountOnThem() {
    faults.set(FaultRule.of(FaultMode.HTTP500).withPathPrefix("/address/").withRemaining(1L));

    assertThat(faults.claim("/blocks/tip/height")).isEmpty();
    assertThat(faults.claim("/address/x")).isPresent();
    assertThat(faults.claim("/address/x")).isEmpty();
  }

  @Test
  void modeNoneClearsTheFault() {
    faults.set(FaultRule.of(FaultMode.GARBAGE));
    faults.set(FaultRule.none());

    assertThat(faults.claim("/blocks/tip/height")).isEmpty();
  }

  @Test
  void rulesRejectNonsense() {
    assertThatThrownBy(() -> new FaultRule(FaultMode.TIMEOUT, 0, null, null))
        .isInstanceOf(RejectedRequestException.class);
    assertThatThrownBy(() -> FaultRule.of(FaultMode.HTTP429).withDelayMs(-1))
        .isInstanceOf(RejectedRequestException.class);
    assertThatThrownBy(() -> FaultRule.of(FaultMode.HTTP429).withRemaining(0L))
        .isInstanceOf(RejectedRequestException.class);
    assertThatThrownBy(() -> FaultRule.of(FaultMode.HTTP429).withPathPrefix("address"))
        .isInstanceOf(RejectedRequestException.class);
    assertThatThrownBy(() -> FaultMode.parse("slow")).isInstanceOf(RejectedRequestException.class);
    assertThat(FaultMode.parse("HTTP429")).isEqualTo(FaultMode.HTTP429);
  }
}
