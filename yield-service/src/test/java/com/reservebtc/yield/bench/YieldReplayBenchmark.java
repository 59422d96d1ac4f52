package com.reservebtc.yield.bench;

import com.reservebtc.chainconsumer.testing.ReplayBench;
import com.reservebtc.schemas.Service;
import com.reservebtc.yield.YieldApplication;

/**
 * The yield projection rebuilding its tables from offset 0 of its topics (see {@link ReplayBench}).
 */
public final class YieldReplayBenchmark {

  private YieldReplayBenchmark() {}

  public static void main(String[] args) throws Exception {
    ReplayBench.run(args, Service.YIELD, YieldApplication.class, "yield");
    System.exit(0);
  }
}
