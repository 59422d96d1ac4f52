package com.reservebtc.oracle.bitcoin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.reservebtc.esplora.EsploraSimulator;
import com.reservebtc.esplora.FaultMode;
import com.reservebtc.esplora.FaultRule;
import com.reservebtc.esplora.Network;
import com.reservebtc.esplora.SimulatorConfig;
import com.reservebtc.oracle.bitcoin.AddressObservation.Observed;
import com.reservebtc.oracle.ownership.BtcNetwork;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.base.ScriptType;
import org.bitcoinj.crypto.ECKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The balance observer against real Esplora simulators, including their fault modes. */
class BalanceObserverIT {

  private final List<EsploraSimulator> simulators = new ArrayList<>();
  private final List<SourceAlert> alerts = new CopyOnWriteArrayList<>();
  private final TestClock clock = new TestClock();
  private final String address =
      new ECKey().toAddress(ScriptType.P2WPKH, BitcoinNetwork.REGTEST).toString();

  @AfterEach
  void stop() {
    simulators.forEach(EsploraSimulator::close);
  }

  @Test
  void countsOnlyOutputsWithEnoughConfirmations() {
    EsploraSimulator first = simulator();
    first.mine(2);
    try (BalanceObserver observer = observer(3, 0, null, first)) {
      first.fund(address, 70_000);
      assertThat(sats(observe(observer))).isZero();
      first.mine(1);
      first.fund(address, 5_000);
      first.mine(1);
      assertThat(sats(observe(observer))).isZero();
      first.mine(1);
      // 70,000 has 3 confirmations now; 5,000 only 2.
      Observed at = (Observed) observe(observer);
      assertThat(at.confirmedSats()).isEqualTo(70_000);
      assertThat(at.asOf().height()).isEqualTo(first.tip().height() - 2);
      assertThat(at.pendingReceivedSats()).isEqualTo(5_000);
      first.mine(1);
      assertThat(sats(observe(observer))).isEqualTo(75_000);
    }
  }

  @Test
  void aSpendLowersTheBalanceOnlyOnceConfirmedDeepEnough() {
    EsploraSimulator first = simulator();
    try (BalanceObserver observer = observer(2, 0, null, first)) {
      first.fund(address, 70_000);
      first.mine(2);
      assertThat(sats(observe(observer))).isEqualTo(70_000);

      // A spend in the mempool (its input leaves /utxo, as in electrs): the balance stays, the
      // spend is reported as pending.
      first.spend(address, 30_000);
      Observed pending = (Observed) observe(observer);
      assertThat(pending.confirmedSats()).isEqualTo(70_000);
      assertThat(pending.pendingSpentSats()).isEqualTo(70_000);
      assertThat(pending.pendingReceivedSats()).isEqualTo(40_000);

      // Confirmed at depth 1 < 2: still 70,000.
      first.mine(1);
      Observed shallow = (Observed) observe(observer);
      assertThat(shallow.confirmedSats()).isEqualTo(70_000);
      assertThat(shallow.pendingSpentSats()).isEqualTo(70_000);

      // Two deep: the change is the balance.
      first.mine(1);
      Observed deep = (Observed) observe(observer);
      assertThat(deep.confirmedSats()).isEqualTo(40_000);
      assertThat(deep.pendingSpentSats()).isZero();
    }
  }

  @Test
  void failsInsteadOfReportingZeroWhenTheSourceMisbehaves() {
    EsploraSimulator first = simulator();
    try (BalanceObserver observer = observer(1, 0, null, first)) {
      first.fund(address, 10_000);
      first.mine(1);
      assertThat(sats(observe(observer))).isEqualTo(10_000);

      first.setFault(FaultRule.of(FaultMode.HTTP500));
      assertFailed(observe(observer), "answered 500");
      first.setFault(FaultRule.of(FaultMode.GARBAGE));
      assertFailed(observe(observer), "not Esplora's answer");
      first.setFault(FaultRule.of(FaultMode.GARBAGE).withPathPrefix("/address/"));
      assertFailed(observe(observer), "not Esplora's answer");
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
    EsploraSimulator first = simulator();
    try (BalanceObserver observer = observer(1, 2, null, first)) {
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
  void sourcesABlockApartAgreeAtTheHeightBothHave() {
    EsploraSimulator first = simulator();
    EsploraSimulator second = simulator();
    try (BalanceObserver observer = observer(1, 0, null, first, second)) {
      for (EsploraSimulator source : List.of(first, second)) {
        source.fund(address, 30_000);
        source.mine(1);
      }
      // The first source is a block ahead, with a payment the second has not seen yet.
      first.fund(address, 5_000);
      first.mine(1);

      Observed observed = (Observed) observe(observer);
      assertThat(observed.confirmedSats()).isEqualTo(30_000);
      assertThat(observed.asOf().height()).isEqualTo(second.tip().height());
      assertThat(observed.sources()).containsExactly("source-1", "source-2");
      assertThat(alerts).isEmpty();
    }
  }

  @Test
  void sourcesOnDifferentBlocksDisagreeOnceAndAQuorumOfThreeOutvotesTheOdd() {
    EsploraSimulator first = simulator();
    EsploraSimulator second = simulator();
    EsploraSimulator third = simulator();
    for (EsploraSimulator source : List.of(first, second)) {
      source.fund(address, 30_000);
      source.mine(1);
    }
    // The third mined a block of its own at the same height: another chain.
    third.mine(1);
    try (BalanceObserver all = observer(1, 0, null, first, third)) {
      AddressObservation split = observe(all);
      assertThat(split).isInstanceOf(AddressObservation.Disagreement.class);
      assertThat(((AddressObservation.Disagreement) split).reason())
          .contains("no 2 Bitcoin sources agree on block 1");
      observe(all);
      assertThat(alerts)
          .extracting(SourceAlert::kind)
          .containsExactly(SourceAlert.Kind.SOURCES_DISAGREE);
    }
    try (BalanceObserver twoOfThree = observer(1, 0, 2, first, second, third)) {
      Observed observed = (Observed) observe(twoOfThree);
      assertThat(observed.confirmedSats()).isEqualTo(30_000);
      assertThat(observed.sources()).containsExactly("source-1", "source-2");
    }
  }

  @Test
  void aSourceOnAnotherNetworkIsRefusedAtStartNamingTheNetworkItServes() {
    EsploraSimulator regtest = simulator();
    EsploraSimulator testnet =
        start(new EsploraSimulator(SimulatorConfig.defaults().withNetwork(Network.TESTNET)));
    BalanceObserver observer =
        new BalanceObserver(
            properties(
                List.of(
                    new BitcoinProperties.Source("local", URI.create(regtest.baseUrl())),
                    new BitcoinProperties.Source("public-testnet", URI.create(testnet.baseUrl()))),
                1,
                null,
                0),
            JsonMapper.builder().build(),
            new SimpleMeterRegistry(),
            alerts::add,
            clock);
    try (observer) {
      assertThatThrownBy(observer::verifyNetworks)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Bitcoin source 'public-testnet' serves testnet")
          .hasMessageContaining("configured for regtest");
    }
  }

  @Test
  void aStalledSourceIsExcludedWithOneAlertAndUsedAgainOnceItMoves() {
    EsploraSimulator first = simulator();
    EsploraSimulator second = simulator();
    EsploraSimulator stalled = simulator();
    for (EsploraSimulator source : List.of(first, second, stalled)) {
      source.fund(address, 40_000);
      source.mine(1);
    }
    try (BalanceObserver observer = observer(1, 0, 2, first, second, stalled)) {
      assertThat(sats(observe(observer))).isEqualTo(40_000);
      first.mine(1);
      second.mine(1);
      assertThat(observe(observer)).isInstanceOf(Observed.class);
      assertThat(alerts).isEmpty();

      clock.advance(Duration.ofMinutes(31));
      Observed observed = (Observed) observe(observer);
      observe(observer);
      assertThat(observed.sources()).containsExactly("source-1", "source-2");
      assertThat(alerts)
          .singleElement()
          .satisfies(
              alert -> {
                assertThat(alert.kind()).isEqualTo(SourceAlert.Kind.SOURCE_EXCLUDED);
                assertThat(alert.source()).isEqualTo("source-3");
                assertThat(alert.message()).contains("stalled");
              });

      stalled.mine(1);
      observe(observer);
      assertThat(alerts)
          .extracting(SourceAlert::kind)
          .containsExactly(SourceAlert.Kind.SOURCE_EXCLUDED, SourceAlert.Kind.SOURCE_READMITTED);
    }
  }

  @Test
  void aSourceWhoseTipFallsBackIsExcludedUntilItIsBack() {
    EsploraSimulator first = simulator();
    EsploraSimulator second = simulator();
    EsploraSimulator third = simulator();
    for (EsploraSimulator source : List.of(first, second, third)) {
      source.fund(address, 40_000);
      source.mine(4);
    }
    try (BalanceObserver observer = observer(1, 0, 2, first, second, third)) {
      assertThat(sats(observe(observer))).isEqualTo(40_000);
      // Three blocks orphaned and none replaced: the tip falls back by three.
      third.reorg(3, 0, List.of(), true);
      assertThat(observe(observer)).isInstanceOf(Observed.class);
      assertThat(alerts)
          .singleElement()
          .satisfies(
              alert -> {
                assertThat(alert.source()).isEqualTo("source-3");
                assertThat(alert.message()).contains("fell to 1");
              });
      third.mine(3);
      observe(observer);
      assertThat(alerts)
          .last()
          .extracting(SourceAlert::kind)
          .isEqualTo(SourceAlert.Kind.SOURCE_READMITTED);
    }
  }

  @Test
  void credentialsAndKeysOfASourceUrlAreUsedButNeverShown() {
    EsploraSimulator guarded =
        start(
            new EsploraSimulator(
                SimulatorConfig.defaults().withAccess("k3y-in-path", "us3r", "s3cret")));
    guarded.fund(address, 12_000);
    guarded.mine(1);
    URI url =
        URI.create(guarded.baseUrl().replace("http://", "http://us3r:s3cret@") + "/k3y-in-path");
    try (BalanceObserver observer =
        new BalanceObserver(
            properties(List.of(new BitcoinProperties.Source("paid", url)), 1, null, 0),
            JsonMapper.builder().build(),
            new SimpleMeterRegistry(),
            alerts::add,
            clock)) {
      observer.verifyNetworks();
      assertThat(sats(observe(observer))).isEqualTo(12_000);
      guarded.setFault(FaultRule.of(FaultMode.HTTP500));
      AddressObservation failed = observe(observer);
      assertFailed(failed, "source 'paid'");
      assertThat(((AddressObservation.Failed) failed).reason())
          .doesNotContain("us3r", "s3cret", "k3y-in-path", "127.0.0.1");
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  private EsploraSimulator simulator() {
    return start(new EsploraSimulator());
  }

  private EsploraSimulator start(EsploraSimulator simulator) {
    simulators.add(simulator);
    return simulator.start();
  }

  private AddressObservation observe(BalanceObserver observer) {
    Map<String, AddressObservation> result = observer.observe(List.of(address));
    assertThat(result).containsOnlyKeys(address);
    return result.get(address);
  }

  private static long sats(AddressObservation observation) {
    assertThat(observation).isInstanceOf(Observed.class);
    return ((Observed) observation).confirmedSats();
  }

  private static void assertFailed(AddressObservation observation, String reason) {
    assertThat(observation).isInstanceOf(AddressObservation.Failed.class);
    assertThat(((AddressObservation.Failed) observation).reason()).contains(reason);
  }

  private BalanceObserver observer(
      int minConfirmations, int retries429, Integer quorum, EsploraSimulator... sources) {
    List<BitcoinProperties.Source> named = new ArrayList<>();
    for (int i = 0; i < sources.length; i++) {
      named.add(
          new BitcoinProperties.Source("source-" + (i + 1), URI.create(sources[i].baseUrl())));
    }
    BalanceObserver observer =
        new BalanceObserver(
            properties(named, minConfirmations, quorum, retries429),
            JsonMapper.builder().build(),
            new SimpleMeterRegistry(),
            alerts::add,
            clock);
    observer.verifyNetworks();
    return observer;
  }

  private static BitcoinProperties properties(
      List<BitcoinProperties.Source> sources, int minConfirmations, Integer quorum, int retries) {
    return new BitcoinProperties(
        sources,
        List.of(),
        quorum,
        BtcNetwork.REGTEST,
        minConfirmations,
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        4,
        retries,
        Duration.ofSeconds(5),
        2,
        Duration.ofMinutes(30),
        Duration.ofMinutes(10));
  }

  /** A clock the test moves forward, so time-based rules are tested without waiting. */
  private static final class TestClock extends Clock {
    private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
