package com.reservebtc.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamSlotsTest {

  @Test
  void capsStreamsPerClientAndInTotalAndFreesThemOnRelease() {
    StreamSlots slots = new StreamSlots(2, 3);
    assertThat(slots.tryAcquire("a")).isEqualTo(StreamSlots.Result.GRANTED);
    assertThat(slots.tryAcquire("a")).isEqualTo(StreamSlots.Result.GRANTED);
    assertThat(slots.tryAcquire("a")).isEqualTo(StreamSlots.Result.CLIENT_LIMIT);
    assertThat(slots.tryAcquire("b")).isEqualTo(StreamSlots.Result.GRANTED);
    assertThat(slots.tryAcquire("c")).isEqualTo(StreamSlots.Result.SERVER_LIMIT);
    assertThat(slots.open()).isEqualTo(3);

    slots.release("a");
    assertThat(slots.openBy("a")).isEqualTo(1);
    assertThat(slots.tryAcquire("c")).isEqualTo(StreamSlots.Result.GRANTED);
    slots.release("a");
    slots.release("b");
    slots.release("c");
    assertThat(slots.open()).isZero();
    assertThat(slots.openBy("a")).isZero();
  }
}
