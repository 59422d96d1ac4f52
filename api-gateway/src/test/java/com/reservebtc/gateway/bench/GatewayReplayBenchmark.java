package com.reservebtc.gateway.bench;

import com.reservebtc.chainconsumer.testing.ReplayBench;
import com.reservebtc.gateway.GatewayApplication;
import com.reservebtc.schemas.Service;

/** The gateway's projection replaying its topics from offset 0 (see {@link ReplayBench}). */
public final class GatewayReplayBenchmark {

  private GatewayReplayBenchmark() {}

  public static void main(String[] args) throws Exception {
    ReplayBench.run(args, Service.GATEWAY, GatewayApplication.class, "gateway");
    System.exit(0);
  }
}
