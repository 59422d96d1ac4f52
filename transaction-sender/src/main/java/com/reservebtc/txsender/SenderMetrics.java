package com.reservebtc.txsender;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The sender's meters, tagged with the key's address: {@code rbtc.txsender.stuck} (1 while the cap
 * stops progress), {@code rbtc.txsender.sent}, {@code rbtc.txsender.replacements}, {@code
 * rbtc.txsender.dropped}, {@code rbtc.txsender.broadcast} (sign and hand to the node) and {@code
 * rbtc.txsender.confirmation} (first broadcast to mined deep enough, within one await).
 */
final class SenderMetrics {

  private final Counter sent;
  private final Counter replacements;
  private final Counter dropped;
  private final Timer broadcast;
  private final Timer confirmation;

  SenderMetrics(MeterRegistry registry, String address, BooleanSupplier stuck) {
    Gauge.builder("rbtc.txsender.stuck", () -> stuck.getAsBoolean() ? 1 : 0)
        .description("1 while the max-fee cap stops this key's transactions")
        .tag("address", address)
        .register(registry);
    sent =
        Counter.builder("rbtc.txsender.sent")
            .description("new transactions handed to the node")
            .tag("address", address)
            .register(registry);
    replacements =
        Counter.builder("rbtc.txsender.replacements")
            .description("replacements at the same nonce with higher fees")
            .tag("address", address)
            .register(registry);
    dropped =
        Counter.builder("rbtc.txsender.dropped")
            .description("transactions the node will not mine")
            .tag("address", address)
            .register(registry);
    broadcast =
        Timer.builder("rbtc.txsender.broadcast")
            .description("estimate, sign and hand a new transaction to the node")
            .tag("address", address)
            .register(registry);
    confirmation =
        Timer.builder("rbtc.txsender.confirmation")
            .description("first broadcast until mined the configured confirmations deep")
            .tag("address", address)
            .register(registry);
  }

  void sent(Duration took) {
    sent.increment();
    broadcast.record(took);
  }

  void replaced() {
    replacements.increment();
  }

  void dropped() {
    dropped.increment();
  }

  void confirmed(Duration took) {
    confirmation.record(took);
  }
}
