package com.reservebtc.gateway.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.reservebtc.gateway.health.CheckResult.Status;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthReportTest {

  @Test
  void theFigureIsTheWeightedShareOfCreditAndTheStatusTheWorstCheck() {
    HealthReport allOk =
        HealthReport.of(List.of(check(Status.OK, 3), check(Status.OK, 1)), Instant.EPOCH);
    assertThat(allOk.score()).isEqualTo(100);
    assertThat(allOk.status()).isEqualTo(Status.OK);

    // (3*1 + 2*0.5 + 3*0) / 8 = 0.5
    HealthReport mixed =
        HealthReport.of(
            List.of(check(Status.OK, 3), check(Status.DEGRADED, 2), check(Status.FAILED, 3)),
            Instant.EPOCH);
    assertThat(mixed.score()).isEqualTo(50);
    assertThat(mixed.status()).isEqualTo(Status.FAILED);

    // the product's weights: one failed weight-3 check out of 17 costs 18 points
    HealthReport oneFailed =
        HealthReport.of(
            List.of(
                check(Status.FAILED, OperationsHealth.WEIGHT_INDEXER),
                check(Status.OK, OperationsHealth.WEIGHT_CONSUMERS),
                check(Status.OK, OperationsHealth.WEIGHT_DEAD_LETTERS),
                check(Status.OK, OperationsHealth.WEIGHT_ORACLE),
                check(Status.OK, OperationsHealth.WEIGHT_PENDING),
                check(Status.OK, OperationsHealth.WEIGHT_BACKING),
                check(Status.OK, OperationsHealth.WEIGHT_AT_RISK)),
            Instant.EPOCH);
    assertThat(oneFailed.score()).isEqualTo(82);
  }

  @Test
  void thresholdsAreInclusiveLowerBoundsOfTheWorseStatus() {
    assertThat(Status.of(9, 10, 120)).isEqualTo(Status.OK);
    assertThat(Status.of(10, 10, 120)).isEqualTo(Status.DEGRADED);
    assertThat(Status.of(119, 10, 120)).isEqualTo(Status.DEGRADED);
    assertThat(Status.of(120, 10, 120)).isEqualTo(Status.FAILED);
    assertThat(Status.OK.worse(Status.DEGRADED)).isEqualTo(Status.DEGRADED);
    assertThat(Status.FAILED.worse(Status.OK)).isEqualTo(Status.FAILED);
  }

  private static CheckResult check(Status status, int weight) {
    return new CheckResult("c", status, weight, Map.of(), "because");
  }
}
