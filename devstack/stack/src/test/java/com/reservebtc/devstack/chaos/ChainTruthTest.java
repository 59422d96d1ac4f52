package com.reservebtc.devstack.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.reservebtc.devstack.chaos.ChainEvent.ContractKind;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChainTruthTest {

  private static final String ZERO = ChainEvent.ZERO_ADDRESS;
  private static final String ALICE = "0x" + "a".repeat(40);
  private static final String BOB = "0x" + "b".repeat(40);
  private static final String VAULT = "0x" + "c".repeat(40);

  private static int logs;

  private static ChainEvent transfer(long block, String from, String to, long amount) {
    return new ChainEvent(
        31337,
        ContractKind.RBTC_SYNTH,
        "Transfer",
        block,
        "0x" + Long.toHexString(block),
        "0x" + Integer.toHexString(++logs),
        0,
        List.of(from, to),
        List.of(BigInteger.valueOf(amount)),
        null);
  }

  @Test
  void thePeakSupplyIsTheHighestSupplyInChainOrderNotTheSumOfMints() {
    ChainTruth truth =
        ChainTruth.of(
            31337,
            10,
            "0x10",
            List.of(
                transfer(1, ZERO, ALICE, 100),
                transfer(2, ZERO, BOB, 50),
                transfer(3, ALICE, ZERO, 120),
                transfer(4, ZERO, BOB, 60)));

    assertThat(truth.peakSynthSupply()).isEqualTo(BigInteger.valueOf(150));
  }

  @Test
  void mintedMinusBurnedIgnoresMovesIntoTheWrapVault() {
    ChainTruth truth =
        ChainTruth.of(
            31337,
            10,
            "0x10",
            List.of(
                transfer(1, ZERO, ALICE, 100),
                transfer(2, ALICE, VAULT, 40),
                transfer(3, VAULT, ZERO, 10),
                transfer(4, ALICE, ZERO, 30)));

    assertThat(truth.synthMintedMinusBurned())
        .containsEntry(ALICE, BigInteger.valueOf(70))
        .containsEntry(VAULT, BigInteger.valueOf(-10));
    assertThat(truth.countsByFamily())
        .containsEntry("RBTCSynth.Transfer (mint)", 1)
        .containsEntry("RBTCSynth.Transfer (move)", 1)
        .containsEntry("RBTCSynth.Transfer (burn)", 2);
  }
}
