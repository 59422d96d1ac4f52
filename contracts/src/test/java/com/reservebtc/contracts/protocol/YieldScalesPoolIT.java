package com.reservebtc.contracts.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.reservebtc.contracts.generated.OracleAggregator;
import com.reservebtc.contracts.generated.RBTCSynth;
import com.reservebtc.contracts.generated.YieldScalesPool;
import com.reservebtc.contracts.revert.ContractError;
import com.reservebtc.contracts.revert.Reverts;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class YieldScalesPoolIT {
  private static final long DAY = 86_400;
  private static final BigInteger HUNDRED = BigInteger.valueOf(100);

  private TestChain chain;
  private OracleAggregator aggregator;
  private RBTCSynth synth;
  private YieldScalesPool pool;

  @BeforeAll
  void deploy() {
    chain = TestChain.start();
    aggregator = chain.aggregator(chain.committee);
    synth = chain.synth(chain.committee);
    pool = chain.yieldPool(chain.committee);
  }

  @AfterAll
  void stop() {
    if (chain != null) {
      chain.close();
    }
  }

  @Test
  void holderJoinsWithTheirSynthBalanceAndTheScalesAreRecomputed() throws Exception {
    String holder = holderWith(100_000).getAddress();

    TransactionReceipt receipt = pool.joinAsBitcoinHolder(holder).send();

    assertThat(YieldScalesPool.getParticipantJoinedEvents(receipt))
        .singleElement()
        .satisfies(
            j -> {
              assertThat(j.user).isEqualTo(holder);
              assertThat(j.participantType).isEqualTo(BigInteger.ZERO);
              assertThat(j.amount).isEqualTo(BigInteger.valueOf(100_000));
            });
    assertScalesEmitted(receipt);
  }

  @Test
  void rbtcScaleFallsWhenSupplyDropsBelowItsPeak() throws Exception {
    String holder = holderWith(500_000).getAddress();
    pool.joinAsBitcoinHolder(holder).send();
    aggregator.sync(holder, BigInteger.valueOf(100_000), new byte[0]).send();

    TransactionReceipt receipt =
        pool.updateRBTCContribution(holder, BigInteger.valueOf(100_000)).send();

    YieldScalesPool.ScalesBalanceUpdatedEventResponse scales = assertScalesEmitted(receipt);
    assertThat(scales.rbtcScale).isLessThan(HUNDRED);
    assertThat(participant(holder).component3()).isEqualTo(BigInteger.valueOf(100_000));
  }

  @Test
  void traderJoinsWithVirtualUsdt() throws Exception {
    String trader = TestAccounts.randomAddress();
    BigInteger usdtBefore = pool.totalUSDTVirtual().send();

    TransactionReceipt receipt =
        pool.joinAsTrader(trader, BigInteger.valueOf(5_000_000_000L)).send();

    assertThat(YieldScalesPool.getParticipantJoinedEvents(receipt))
        .singleElement()
        .satisfies(
            j -> {
              assertThat(j.participantType).isEqualTo(BigInteger.ONE);
              assertThat(j.amount).isEqualTo(BigInteger.valueOf(5_000_000_000L));
            });
    assertThat(YieldScalesPool.getYieldCalculatedEvents(receipt).get(0).totalUSDTVirtual)
        .isEqualTo(usdtBefore.add(BigInteger.valueOf(5_000_000_000L)));
  }

  @Test
  void onlyTheOracleRunsPoolOperations() {
    YieldScalesPool asOutsider = chain.yieldPool(chain.outsider);
    String user = TestAccounts.randomAddress();
    List<String> calls =
        List.of(
            asOutsider.joinAsBitcoinHolder(user).encodeFunctionCall(),
            asOutsider.joinAsTrader(user, BigInteger.ONE).encodeFunctionCall(),
            asOutsider.updateRBTCContribution(user, BigInteger.ONE).encodeFunctionCall(),
            asOutsider.emergencyBurn(user, BigInteger.ONE).encodeFunctionCall(),
            asOutsider.resolveDispute(user, true).encodeFunctionCall());

    assertThat(calls)
        .allSatisfy(
            data ->
                assertThat(
                        Reverts.customError(
                            TestChain.revertData(
                                chain.call(
                                    chain.outsider.getAddress(),
                                    chain.deployment.yieldPool(),
                                    data))))
                    .contains(ContractError.RESTRICTED));
  }

  @Test
  void loyaltyMultiplierGrowsFromBronzeToSilverToGold() throws Exception {
    String trader = TestAccounts.randomAddress();
    pool.joinAsTrader(trader, BigInteger.valueOf(1_000)).send();
    BigInteger bronze = pool.multiplierOf(trader).send();

    chain.advanceTime(180 * DAY);
    BigInteger silver = pool.multiplierOf(trader).send();
    chain.advanceTime(185 * DAY);
    BigInteger gold = pool.multiplierOf(trader).send();

    assertThat(List.of(bronze, silver, gold))
        .containsExactly(BigInteger.valueOf(110), BigInteger.valueOf(125), BigInteger.valueOf(150));
  }

  @Test
  void claimPaysTheOwedYieldOfThePeriod() throws Exception {
    Credentials holder = holderWith(2_000_000);
    BigInteger contribution = BigInteger.valueOf(2_000_000);
    TransactionReceipt joined = pool.joinAsBitcoinHolder(holder.getAddress()).send();
    chain.advanceTime(400 * DAY);
    BigInteger rate = pool.currentYieldRate().send();

    TransactionReceipt claimed = chain.yieldPool(holder).claimYield().send();

    BigInteger elapsed = blockTime(claimed).subtract(blockTime(joined));
    BigInteger expected =
        contribution
            .multiply(rate)
            .multiply(elapsed)
            .multiply(BigInteger.valueOf(150))
            .divide(BigInteger.valueOf(10_000L * 31_536_000L * 100L));
    assertThat(rate).isPositive();
    assertThat(expected).isPositive();
    assertThat(YieldScalesPool.getYieldClaimedEvents(claimed))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.user).isEqualTo(holder.getAddress());
              assertThat(c.amount).isEqualTo(expected);
            });
  }

  @Test
  void acceptedDisputeSetsTheReportedContribution() throws Exception {
    Credentials holder = holderWith(100_000);
    pool.joinAsBitcoinHolder(holder.getAddress()).send();

    TransactionReceipt disputed =
        chain
            .yieldPool(holder)
            .disputeBalance(BigInteger.valueOf(120_000), BigInteger.valueOf(100_000))
            .send();
    pool.resolveDispute(holder.getAddress(), true).send();

    assertThat(YieldScalesPool.getBalanceDisputedEvents(disputed))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.user).isEqualTo(holder.getAddress());
              assertThat(d.reportedBalance).isEqualTo(BigInteger.valueOf(120_000));
              assertThat(d.oracleBalance).isEqualTo(BigInteger.valueOf(100_000));
            });
    assertThat(participant(holder.getAddress()).component3())
        .isEqualTo(BigInteger.valueOf(120_000));
    String again =
        TestChain.revertData(
            chain.call(
                chain.committee.getAddress(),
                chain.deployment.yieldPool(),
                pool.resolveDispute(holder.getAddress(), true).encodeFunctionCall()));
    assertThat(Reverts.customError(again)).contains(ContractError.NO_OPEN_DISPUTE);
  }

  @Test
  void emergencyBurnReducesTheHoldersContribution() throws Exception {
    String holder = holderWith(100_000).getAddress();
    pool.joinAsBitcoinHolder(holder).send();

    TransactionReceipt receipt = pool.emergencyBurn(holder, BigInteger.valueOf(30_000)).send();

    assertThat(YieldScalesPool.getEmergencyBurnTriggeredEvents(receipt))
        .singleElement()
        .satisfies(
            b -> {
              assertThat(b.user).isEqualTo(holder);
              assertThat(b.burnedAmount).isEqualTo(BigInteger.valueOf(30_000));
              assertThat(b.reason).isEqualTo("Oracle emergency burn");
            });
    assertThat(participant(holder).component3()).isEqualTo(BigInteger.valueOf(70_000));
  }

  private YieldScalesPool.ScalesBalanceUpdatedEventResponse assertScalesEmitted(
      TransactionReceipt receipt) throws Exception {
    BigInteger supply = synth.totalSupply().send();
    BigInteger peak = pool.peakSupply().send();
    BigInteger expectedScale = supply.multiply(HUNDRED).divide(peak);
    BigInteger expectedRate =
        HUNDRED
            .multiply(expectedScale)
            .multiply(BigInteger.valueOf(500))
            .divide(BigInteger.valueOf(1_000_000))
            .min(BigInteger.valueOf(2000));
    YieldScalesPool.ScalesBalanceUpdatedEventResponse scales =
        YieldScalesPool.getScalesBalanceUpdatedEvents(receipt).get(0);
    assertThat(scales.usdtScale).isEqualTo(HUNDRED);
    assertThat(scales.rbtcScale).isEqualTo(expectedScale);
    assertThat(scales.timestamp).isEqualTo(blockTime(receipt));
    YieldScalesPool.YieldCalculatedEventResponse yield =
        YieldScalesPool.getYieldCalculatedEvents(receipt).get(0);
    assertThat(yield.totalRBTCSupply).isEqualTo(supply);
    assertThat(yield.currentYieldRate).isEqualTo(expectedRate);
    assertThat(pool.currentYieldRate().send()).isEqualTo(expectedRate);
    return scales;
  }

  private org.web3j.tuples.generated.Tuple7<
          Boolean, BigInteger, BigInteger, BigInteger, BigInteger, BigInteger, BigInteger>
      participant(String user) throws Exception {
    return pool.participants(user).send();
  }

  private Credentials holderWith(long sats) throws Exception {
    Credentials holder = chain.newUser();
    aggregator
        .registerAndPrepay(
            holder.getAddress(), BigInteger.ZERO, new byte[32], BigInteger.TEN.pow(17))
        .send();
    long remaining = sats;
    // Upward syncs above 900,000 sats exceed the fee cap, so large balances arrive in steps.
    long reported = 0;
    while (remaining > 0) {
      long step = Math.min(remaining, 900_000);
      reported += step;
      remaining -= step;
      aggregator.sync(holder.getAddress(), BigInteger.valueOf(reported), new byte[0]).send();
    }
    return holder;
  }

  private BigInteger blockTime(TransactionReceipt receipt) throws Exception {
    return chain
        .web3j
        .ethGetBlockByNumber(DefaultBlockParameter.valueOf(receipt.getBlockNumber()), false)
        .send()
        .getBlock()
        .getTimestamp();
  }
}
