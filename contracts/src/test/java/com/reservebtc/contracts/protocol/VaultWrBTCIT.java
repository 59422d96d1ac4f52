package com.reservebtc.contracts.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.reservebtc.contracts.generated.OracleAggregator;
import com.reservebtc.contracts.generated.RBTCSynth;
import com.reservebtc.contracts.generated.VaultWrBTC;
import com.reservebtc.contracts.revert.ContractError;
import com.reservebtc.contracts.revert.Reverts;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VaultWrBTCIT {
  private static final String ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
  private static final byte[] NO_PROOF = new byte[0];
  private static final BigInteger PREPAID = BigInteger.TEN.pow(17);

  private TestChain chain;
  private OracleAggregator aggregator;
  private RBTCSynth synth;
  private String vault;

  @BeforeAll
  void deploy() {
    chain = TestChain.start();
    aggregator = chain.aggregator(chain.committee);
    synth = chain.synth(chain.committee);
    vault = chain.deployment.wrbtc();
  }

  @AfterAll
  void stop() {
    if (chain != null) {
      chain.close();
    }
  }

  @Test
  void wrapLocksTheHoldersSynthAndMintsWrBtc() throws Exception {
    Credentials holder = holderWith(100_000);
    VaultWrBTC wrbtc = chain.wrbtc(holder);

    TransactionReceipt receipt = wrbtc.wrap(sats(60_000)).send();

    List<RBTCSynth.TransferEventResponse> synthMoves =
        transfersOf(receipt, chain.deployment.synth());
    assertThat(synthMoves)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.from).isEqualTo(holder.getAddress());
              assertThat(t.to).isEqualTo(vault);
              assertThat(t.amount).isEqualTo(sats(60_000));
            });
    assertThat(transfersOf(receipt, vault))
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.from).isEqualTo(ZERO_ADDRESS);
              assertThat(t.to).isEqualTo(holder.getAddress());
            });
    assertThat(VaultWrBTC.getWrappedEvents(receipt))
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.user).isEqualTo(holder.getAddress());
              assertThat(w.amount).isEqualTo(sats(60_000));
            });
    assertThat(synth.balanceOf(holder.getAddress()).send()).isEqualTo(sats(40_000));
    assertThat(wrbtc.balanceOf(holder.getAddress()).send()).isEqualTo(sats(60_000));
    assertThat(wrbtc.lockedOf(holder.getAddress()).send()).isEqualTo(sats(60_000));
    assertThat(aggregator.lastSats(holder.getAddress()).send()).isEqualTo(sats(100_000));
  }

  @Test
  void redeemReleasesOnlyTheCallersOwnLockedSynth() throws Exception {
    Credentials holder = holderWith(50_000);
    Credentials receiver = chain.newUser();
    VaultWrBTC wrbtc = chain.wrbtc(holder);
    wrbtc.wrap(sats(50_000)).send();
    wrbtc.transfer(receiver.getAddress(), sats(10_000)).send();

    TransactionReceipt receipt = wrbtc.redeem(sats(20_000)).send();
    String receiverRedeem =
        TestChain.revertData(
            chain.call(
                receiver.getAddress(), vault, wrbtc.redeem(sats(10_000)).encodeFunctionCall()));

    assertThat(VaultWrBTC.getRedeemedEvents(receipt))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.user).isEqualTo(holder.getAddress());
              assertThat(r.amount).isEqualTo(sats(20_000));
            });
    assertThat(transfersOf(receipt, chain.deployment.synth()))
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.from).isEqualTo(vault);
              assertThat(t.to).isEqualTo(holder.getAddress());
            });
    assertThat(synth.balanceOf(holder.getAddress()).send()).isEqualTo(sats(20_000));
    assertThat(wrbtc.balanceOf(holder.getAddress()).send()).isEqualTo(sats(20_000));
    assertThat(wrbtc.balanceOf(receiver.getAddress()).send()).isEqualTo(sats(10_000));
    assertThat(wrbtc.lockedOf(holder.getAddress()).send()).isEqualTo(sats(30_000));
    assertThat(Reverts.customError(receiverRedeem)).contains(ContractError.INSUFFICIENT_LOCKED);
  }

  @Test
  void downwardSyncBurnsUnlockedSynthFirstThenSlashesTheWrappedPosition() throws Exception {
    Credentials holder = holderWith(100_000);
    VaultWrBTC wrbtc = chain.wrbtc(holder);
    wrbtc.wrap(sats(80_000)).send();

    TransactionReceipt receipt =
        aggregator.sync(holder.getAddress(), sats(50_000), NO_PROOF).send();

    assertThat(VaultWrBTC.getSlashedEvents(receipt))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.user).isEqualTo(holder.getAddress());
              assertThat(s.amount).isEqualTo(sats(30_000));
            });
    assertThat(synth.balanceOf(holder.getAddress()).send()).isZero();
    assertThat(wrbtc.lockedOf(holder.getAddress()).send()).isEqualTo(sats(50_000));
    assertThat(wrbtc.balanceOf(holder.getAddress()).send()).isEqualTo(sats(50_000));
    assertThat(synth.balanceOf(vault).send()).isEqualTo(wrbtc.totalSupply().send());
    assertThat(aggregator.lastSats(holder.getAddress()).send()).isEqualTo(sats(50_000));
  }

  @Test
  void emergencyBurnAlsoSlashesTheWholeWrappedPosition() throws Exception {
    Credentials holder = holderWith(40_000);
    VaultWrBTC wrbtc = chain.wrbtc(holder);
    wrbtc.wrap(sats(25_000)).send();

    TransactionReceipt receipt = aggregator.executeEmergencyBurn(holder.getAddress()).send();

    assertThat(OracleAggregator.getEmergencyBurnEvents(receipt).get(0).burnedAmount)
        .isEqualTo(sats(40_000));
    assertThat(VaultWrBTC.getSlashedEvents(receipt).get(0).amount).isEqualTo(sats(25_000));
    assertThat(synth.balanceOf(holder.getAddress()).send()).isZero();
    assertThat(wrbtc.lockedOf(holder.getAddress()).send()).isZero();
    assertThat(wrbtc.balanceOf(holder.getAddress()).send()).isZero();
  }

  @Test
  void onlyTheAggregatorSlashesAndOnlyTheVaultMovesLockedSynth() {
    String user = TestAccounts.randomAddress();
    String slash =
        TestChain.revertData(
            chain.call(
                chain.committee.getAddress(),
                vault,
                chain
                    .wrbtc(chain.committee)
                    .slashFromOracle(user, BigInteger.ONE)
                    .encodeFunctionCall()));
    String lock =
        TestChain.revertData(
            chain.call(
                chain.committee.getAddress(),
                chain.deployment.synth(),
                synth.lockForWrap(user, BigInteger.ONE).encodeFunctionCall()));

    assertThat(Reverts.customError(slash)).contains(ContractError.RESTRICTED);
    assertThat(Reverts.customError(lock)).contains(ContractError.RESTRICTED);
  }

  private Credentials holderWith(long sats) throws Exception {
    Credentials holder = chain.newUser();
    aggregator
        .registerAndPrepay(holder.getAddress(), BigInteger.ZERO, new byte[32], PREPAID)
        .send();
    aggregator.sync(holder.getAddress(), sats(sats), NO_PROOF).send();
    return holder;
  }

  private static List<RBTCSynth.TransferEventResponse> transfersOf(
      TransactionReceipt receipt, String contract) {
    return RBTCSynth.getTransferEvents(receipt).stream()
        .filter(t -> t.log.getAddress().equalsIgnoreCase(contract))
        .toList();
  }

  private static BigInteger sats(long value) {
    return BigInteger.valueOf(value);
  }
}
