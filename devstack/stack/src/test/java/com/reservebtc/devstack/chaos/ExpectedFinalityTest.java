package com.reservebtc.devstack.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExpectedFinalityTest {

  @Test
  void labelsBlocksByTheirDepthBelowTheFrozenHead() {
    ExpectedFinality finality = ExpectedFinality.byDepth(100, 2, 12);

    assertThat(finality.of(100)).isEqualTo("PENDING");
    assertThat(finality.of(99)).isEqualTo("PENDING");
    assertThat(finality.of(98)).isEqualTo("CONFIRMED");
    assertThat(finality.of(89)).isEqualTo("CONFIRMED");
    assertThat(finality.of(88)).isEqualTo("FINALIZED");
  }

  @Test
  void takesTheNodesTagsWhenGiven() {
    ExpectedFinality finality = new ExpectedFinality(68, 36);

    assertThat(finality.of(69)).isEqualTo("PENDING");
    assertThat(finality.of(68)).isEqualTo("CONFIRMED");
    assertThat(finality.of(36)).isEqualTo("FINALIZED");
  }
}
