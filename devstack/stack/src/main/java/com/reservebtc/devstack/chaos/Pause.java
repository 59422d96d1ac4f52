package com.reservebtc.devstack.chaos;

import java.time.Duration;

/** Waiting between polls of a real condition, and the harness's planned pauses. */
final class Pause {

  private Pause() {}

  static void of(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChaosException("interrupted", e);
    }
  }
}
