package com.reservebtc.emergency.bench;

import com.reservebtc.chainconsumer.testing.ReplayBench;
import com.reservebtc.emergency.EmergencyBurnApplication;
import com.reservebtc.schemas.Service;

/** The emergency-burn projection replaying its topics from offset 0 (see {@link ReplayBench}). */
public final class EmergencyReplayBenchmark {

  private EmergencyReplayBenchmark() {}

  public static void main(String[] args) throws Exception {
    ReplayBench.run(args, Service.EMERGENCY_BURN, EmergencyBurnApplication.class, "emergency");
    System.exit(0);
  }
}
