package com.reservebtc.oracle.bitcoin;

import static org.assertj.core.api.Assertions.assertThat;

import com.reservebtc.esplora.EsploraSimulator;
import com.reservebtc.esplora.FaultMode;
import com.reservebtc.esplora.FaultRule;
import com.reservebtc.oracle.ownership.BtcNetwork;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.base.ScriptType;
import org.bitcoinj.crypto.ECKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The balance observer against real Esplora simulators, including their fault modes. */
class BalanceObserverIT {

  private final EsploraSimulator first = new EsploraSimulator().start();
  private final EsploraSimulator second = new EsploraSimulator().start();
  private final String address =
      new ECKey().toAddress(ScriptType.P2WPKH, BitcoinNetwork.REGTEST).toString();

  @AfterEach
  void stop() {
    first.close();
    second.close();
  }

  @Test
  void countsOnlyOutputsWithEnoughConfirmations() {
    try (BalanceObserver observer = observer(3, 0, first)) {
      first.fund(address, 70_000);
      assertThat(observe(observer))
          .isEqualTo(new AddressObservation.Observed(address, tipOf(first), 0));
      first.mine(1);
      first.fund(address, 5_000);
      first.mine(1);
      assertThat(sats(observe(observer))).isZero();
      first.mine(1);
      // 70,000 has 3 confirmations now; 5,000 only 2.
      assertThat(sats(observe(observer))).isEqualTo(70_000);
      first.mine(1);
      assertThat(sats(observe(observer))).isEqualTo(75_000);
    }
  }

  @Test
  void failsInsteadOfReportingZeroWhenTheSourceMisbehaves() {
    try (BalanceObserver observer = observer(1, 0, first)) {
      first.fund(address, 10_000);
      first.mine(1);
      assertThat(sats(observe(observer))).isEqualTo(10_000);

      first.setFault(FaultRule.of(FaultMode.HTTP500));
      assertFailed(observe(observer), "500");
      first.setFault(FaultRule.of(FaultMode.GARBAGE));
      assertFailed(observe(observer), "unexpected body");
      first.setFault(FaultRule.of(FaultMode.GARBAGE).withPathPrefix("/address/"));
      assertFailed(observe(observer), "unexpected body");
      first.setFault(FaultRule.of(FaultMode.TIMEOUT).withDelayMs(1_500));
      assertFailed(observe(observer), "timed out");
      first.setFault(FaultRule.of(FaultMode.HTTP429));
      assertFailed(observe(observer), "rate limited");

      first.clearFault();
      assertThat(sats(observe(observer))).isEqualTo(10_000);
    }
  }

  @Test
  void backsOffAfter429AndThenSucceeds() {
    try (BalanceObserver observer = observer(1, 2, first)) {
      first.fund(address, 20_000);
      first.mine(1);
      first.setFault(FaultRule.of(FaultMode.HTTP429).withRemaining(1L));

      long started = System.nanoTime();
      assertThat(sats(observe(observer))).isEqualTo(20_000);
      // The simulator says Retry-After: 1.
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }
  }

  @Test
  void acceptsABalanceOnlyWhenAllSourcesAgree() {
    try (BalanceObserver observer = observer(1, 0, first, second)) {
      // Both at the same genesis tip, both empty: agreement on zero is a real zero.
      assertThat(observe(observer)).isInstanceOf(AddressObservation.Observed.class);
      assertThat(sats(observe(observer))).isZero();

      first.fund(address, 30_000);
      first.mine(1);
      AddressObservation split = observe(observer);
      assertThat(split).isInstanceOf(AddressObservation.Disagreement.class);
      assertThat(((AddressObservation.Disagreement) split).reason()).contains("different tips");

      second.setFault(FaultRule.of(FaultMode.HTTP500));
      assertFailed(observe(observer), "500");
    }
  }

  private AddressObservation observe(BalanceObserver observer) {
    Map<String, AddressObservation> result = observer.observe(List.of(address));
    assertThat(result).containsOnlyKeys(address);
    return result.get(address);
  }

  private static long sats(AddressObservation observation) {
    assertThat(observation).isInstanceOf(AddressObservation.Observed.class);
    return ((AddressObservation.Observed) observation).confirmedSats();
  }

  private static void assertFailed(AddressObservation observation, String reason) {
    assertThat(observation).isInstanceOf(AddressObservation.Failed.class);
    assertThat(((AddressObservation.Failed) observation).reason()).contains(reason);
  }

  private static ChainTip tipOf(EsploraSimulator simulator) {
    return new ChainTip(simulator.tip().height(), simulator.tip().hash());
  }

  private static BalanceObserver observer(
      int minConfirmations, int retries429, EsploraSimulator... sources) {
    List<URI> urls = java.util.Arrays.stream(sources).map(s -> URI.create(s.baseUrl())).toList();
    return new BalanceObserver(
        new BitcoinProperties(
            urls,
            BtcNetwork.REGTEST,
            minConfirmations,
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            4,
            retries429,
            Duration.ofSeconds(5)),
        JsonMapper.builder().build(),
        new SimpleMeterRegistry());
  }
}
