package com.reservebtc.indexer.coverage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.reservebtc.indexer.chain.Address;
import com.reservebtc.indexer.decode.ChainRecord;
import com.reservebtc.indexer.deployment.ContractKind;
import com.reservebtc.indexer.deployment.Deployment;
import com.reservebtc.schemas.avro.ChainLogRef;
import com.reservebtc.schemas.avro.FeeVaultEvent;
import com.reservebtc.schemas.avro.FeeVaultEventKind;
import com.reservebtc.schemas.avro.Finality;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CoverageTest {

  private static final Address VAULT = Address.of("0x" + "a".repeat(40));
  private static final Address SYNTH = Address.of("0x" + "b".repeat(40));
  private static final Deployment VAULT_FROM_10 = new Deployment(ContractKind.FEE_VAULT, VAULT, 10);
  private static final Deployment SYNTH_FROM_5 = new Deployment(ContractKind.RBTC_SYNTH, SYNTH, 5);

  @Test
  void aFreshIndexerFollowsEveryContractFromItsStartBlock() {
    Coverage coverage = Coverage.fresh(List.of(VAULT_FROM_10, SYNTH_FROM_5));

    assertThat(coverage.firstBlock()).isEqualTo(5);
    assertThat(coverage.liveAddresses(7)).containsExactly(SYNTH);
    assertThat(coverage.liveAddresses(10)).containsExactlyInAnyOrder(VAULT, SYNTH);
    assertThat(coverage.publishesLive(VAULT, 9)).isFalse();
    assertThat(coverage.publishesLive(VAULT, 10)).isTrue();
    assertThat(coverage.nextCatchUp(1_000, 100)).isEmpty();
  }

  @Test
  void aContractAddedBehindTheTipIsFollowedFromTheNextBlockAndItsPastBecomesAGap() {
    Coverage.Reconfigured reconfigured =
        Coverage.fresh(List.of(VAULT_FROM_10))
            .reconfigure(List.of(VAULT_FROM_10, SYNTH_FROM_5), 100);
    Coverage coverage = reconfigured.coverage();

    assertThat(reconfigured.changes()).singleElement().asString().contains("is new");
    DeploymentCoverage synth = coverage.get(SYNTH).orElseThrow();
    assertThat(synth.liveFrom()).isEqualTo(101);
    assertThat(synth.gaps()).containsExactly(new BlockRange(5, 100));
    assertThat(synth.indexedThrough(150)).isEqualTo(4);
    assertThat(coverage.publishesLive(SYNTH, 100)).isFalse();
    assertThat(coverage.publishesLive(SYNTH, 101)).isTrue();

    // Only final blocks are caught up, oldest first, in pieces.
    assertThat(coverage.nextCatchUp(4, 100)).isEmpty();
    Coverage.CatchUp first = coverage.nextCatchUp(60, 30).orElseThrow();
    assertThat(first.range()).isEqualTo(new BlockRange(5, 34));
    coverage = coverage.caughtUp(SYNTH, first.range());
    assertThat(coverage.get(SYNTH).orElseThrow().gaps()).containsExactly(new BlockRange(35, 100));
    assertThat(coverage.nextCatchUp(60, 100).orElseThrow().range())
        .isEqualTo(new BlockRange(35, 60));
    coverage = coverage.caughtUp(SYNTH, new BlockRange(35, 100));
    assertThat(coverage.get(SYNTH).orElseThrow().pendingBlocks()).isZero();
    assertThat(coverage.get(SYNTH).orElseThrow().indexedThrough(150)).isEqualTo(150);
  }

  @Test
  void catchingUpAnythingButTheStartOfTheFirstGapIsRefused() {
    Coverage coverage =
        Coverage.fresh(List.of(VAULT_FROM_10))
            .reconfigure(List.of(VAULT_FROM_10, SYNTH_FROM_5), 100)
            .coverage();

    assertThatThrownBy(() -> coverage.caughtUp(SYNTH, new BlockRange(6, 10)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aReorgBelowTheBlockAContractJoinedMovesItsLiveStartAndCutsItsGap() {
    Coverage coverage =
        Coverage.fresh(List.of(VAULT_FROM_10))
            .reconfigure(List.of(VAULT_FROM_10, SYNTH_FROM_5), 100)
            .coverage();

    Coverage rewound = coverage.rewound(97);

    DeploymentCoverage synth = rewound.get(SYNTH).orElseThrow();
    assertThat(synth.liveFrom()).isEqualTo(98);
    assertThat(synth.gaps()).containsExactly(new BlockRange(5, 97));
    assertThat(rewound.get(VAULT).orElseThrow().liveFrom()).isEqualTo(10);
  }

  @Test
  void aContractRemovedAndAddedAgainCatchesUpWhatItMissed() {
    Coverage both = Coverage.fresh(List.of(VAULT_FROM_10, SYNTH_FROM_5));
    Coverage.Reconfigured removed = both.reconfigure(List.of(VAULT_FROM_10), 50);
    DeploymentCoverage retired = removed.coverage().get(SYNTH).orElseThrow();
    assertThat(retired.active()).isFalse();
    assertThat(retired.retiredAfter()).isEqualTo(50);
    assertThat(removed.coverage().liveAddresses(1_000)).containsExactly(VAULT);
    assertThat(removed.changes()).singleElement().asString().contains("no longer configured");

    Coverage again =
        removed.coverage().reconfigure(List.of(VAULT_FROM_10, SYNTH_FROM_5), 80).coverage();
    DeploymentCoverage synth = again.get(SYNTH).orElseThrow();
    assertThat(synth.liveFrom()).isEqualTo(81);
    assertThat(synth.gaps()).containsExactly(new BlockRange(51, 80));
  }

  @Test
  void aLoweredStartBlockBecomesAGapAndARaisedOneChangesNothingPublished() {
    Coverage coverage = Coverage.fresh(List.of(VAULT_FROM_10));

    Coverage lowered =
        coverage
            .reconfigure(List.of(new Deployment(ContractKind.FEE_VAULT, VAULT, 3)), 40)
            .coverage();
    assertThat(lowered.get(VAULT).orElseThrow().gaps()).containsExactly(new BlockRange(3, 9));
    assertThat(lowered.get(VAULT).orElseThrow().startBlock()).isEqualTo(3);

    Coverage.Reconfigured raised =
        lowered.reconfigure(List.of(new Deployment(ContractKind.FEE_VAULT, VAULT, 6)), 40);
    assertThat(raised.coverage().get(VAULT).orElseThrow().gaps())
        .containsExactly(new BlockRange(6, 9));
    assertThat(raised.changes()).singleElement().asString().contains("stay published");
  }

  @Test
  void aContractWhoseStartIsStillAheadIsSimplyFollowedFromItsStart() {
    Coverage coverage =
        Coverage.fresh(List.of(SYNTH_FROM_5))
            .reconfigure(
                List.of(SYNTH_FROM_5, new Deployment(ContractKind.FEE_VAULT, VAULT, 70)), 50)
            .coverage();

    assertThat(coverage.get(VAULT).orElseThrow().liveFrom()).isEqualTo(70);
    assertThat(coverage.get(VAULT).orElseThrow().gaps()).isEmpty();
  }

  @Test
  void countsFollowPublicationsAndRetractions() {
    Coverage coverage = Coverage.fresh(List.of(VAULT_FROM_10));
    ChainRecord deposit = deposit(0);
    ChainRecord other = deposit(1);

    Coverage counted = coverage.counted(List.of(deposit, other), List.of());
    assertThat(counted.get(VAULT).orElseThrow().counts()).isEqualTo(Map.of("Deposited", 2L));
    Coverage retracted = counted.counted(List.of(), List.of(deposit.retraction()));
    assertThat(retracted.get(VAULT).orElseThrow().counts()).isEqualTo(Map.of("Deposited", 1L));
    assertThat(retracted.sameLiveSet(coverage)).isTrue();
    assertThat(retracted).isNotEqualTo(coverage);
  }

  @Test
  void aCursorWithoutStoredCoverageIsAssumedCompleteAndCountsFromTheNextBlock() {
    Coverage coverage = Coverage.assumedComplete(List.of(VAULT_FROM_10, SYNTH_FROM_5), 42);

    assertThat(coverage.get(VAULT).orElseThrow().liveFrom()).isEqualTo(10);
    assertThat(coverage.get(VAULT).orElseThrow().countedFrom()).isEqualTo(43);
    assertThat(coverage.nextCatchUp(1_000, 100)).isEmpty();
  }

  @Test
  void survivesItsDatabaseForm() {
    Coverage coverage =
        Coverage.fresh(List.of(VAULT_FROM_10))
            .reconfigure(List.of(VAULT_FROM_10, SYNTH_FROM_5), 100)
            .coverage()
            .counted(List.of(deposit(0)), List.of());
    CoverageRepository repository = new CoverageRepository(null);

    assertThat(repository.fromJson(repository.toJson(coverage))).isEqualTo(coverage);
  }

  private static ChainRecord deposit(int logIndex) {
    ChainLogRef ref =
        new ChainLogRef(
            31337L,
            VAULT.value(),
            12L,
            "0x" + "1".repeat(64),
            "0x" + "2".repeat(64),
            logIndex,
            1_700_000_000L,
            Finality.PENDING,
            false);
    return ChainRecord.of(
        new FeeVaultEvent(ref, FeeVaultEventKind.DEPOSITED, "0x" + "c".repeat(40), "1000", null));
  }
}
