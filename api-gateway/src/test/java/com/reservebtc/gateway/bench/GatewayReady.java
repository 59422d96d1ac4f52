package com.reservebtc.gateway.bench;

import java.time.Duration;

/**
 * Waits until a gateway has projected the seeded records. Usage: {@code GatewayReady --url URL
 * --expect-records N}
 */
public final class GatewayReady {

  private GatewayReady() {}

  public static void main(String[] args) throws Exception {
    new GatewayProbe(BenchArgs.value(args, "--url", null))
        .awaitProjected(
            Long.parseLong(BenchArgs.value(args, "--expect-records", null)),
            Duration.ofMinutes(10));
  }
}
