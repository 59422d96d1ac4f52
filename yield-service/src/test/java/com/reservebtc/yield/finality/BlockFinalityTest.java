package com.reservebtc.yield.finality;

import static org.assertj.core.api.Assertions.assertThat;

import com.reservebtc.schemas.avro.Finality;
import org.junit.jupiter.api.Test;

class BlockFinalityTest {

  private static final long CHAIN = 31337;

  @Test
  void aNewerBlockReplacesThePositionWithItsOwnFinality() {
    BlockFinality confirmed = new BlockFinality(CHAIN, 100, Finality.CONFIRMED);
    BlockFinality newer = new BlockFinality(CHAIN, 120, Finality.PENDING);
    assertThat(BlockFinality.latest(confirmed, newer)).isEqualTo(newer);
    assertThat(BlockFinality.latest(null, newer)).isEqualTo(newer);
  }

  @Test
  void anOlderBlockLeavesThePositionEvenIfItIsMoreSettled() {
    BlockFinality pending = new BlockFinality(CHAIN, 120, Finality.PENDING);
    BlockFinality olderFinal = new BlockFinality(CHAIN, 90, Finality.FINALIZED);
    assertThat(BlockFinality.latest(pending, olderFinal)).isEqualTo(pending);
  }

  @Test
  void theSameBlockKeepsTheBestKnownFinality() {
    BlockFinality pending = new BlockFinality(CHAIN, 100, Finality.PENDING);
    BlockFinality confirmed = new BlockFinality(CHAIN, 100, Finality.CONFIRMED);
    assertThat(BlockFinality.latest(pending, confirmed)).isEqualTo(confirmed);
    assertThat(BlockFinality.latest(confirmed, pending)).isEqualTo(confirmed);
  }

  @Test
  void anotherChainReplacesThePosition() {
    BlockFinality here = new BlockFinality(CHAIN, 500, Finality.FINALIZED);
    BlockFinality there = new BlockFinality(6342, 3, Finality.PENDING);
    assertThat(BlockFinality.latest(here, there)).isEqualTo(there);
  }
}
