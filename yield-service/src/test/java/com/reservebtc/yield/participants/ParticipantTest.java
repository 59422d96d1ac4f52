package com.reservebtc.yield.participants;

import static org.assertj.core.api.Assertions.assertThat;

import com.reservebtc.schemas.avro.Finality;
import com.reservebtc.yield.finality.BlockFinality;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class ParticipantTest {

  private static final String USER = "0x" + "ab".repeat(20);

  @Test
  void holderContributionFollowsTheBalance() {
    Participant holder = Participant.fresh(USER, 100).withBalance(5_000);
    assertThat(holder.eligible()).isTrue();
    assertThat(holder.contributionSats()).isEqualTo(5_000);
    assertThat(holder.withBalance(0).eligible()).isFalse();
    assertThat(holder.withBalance(0).contributionSats()).isZero();
  }

  @Test
  void traderContributionIsItsVirtualUsdtNotItsBalance() {
    Participant trader = Participant.fresh(USER, 100).joinedOnChain(Participant.TRADER, 200, 7_000);
    assertThat(trader.withBalance(5_000).contributionSats()).isEqualTo(7_000);
  }

  @Test
  void negativeBalanceFromIncompleteHistoryNeverMakesANegativeBase() {
    Participant p = Participant.fresh(USER, 100).withBalance(-10);
    assertThat(p.eligible()).isFalse();
    assertThat(p.contributionSats()).isZero();
  }

  @Test
  void claimNeverLeavesNegativeAccruedYield() {
    Participant p = Participant.fresh(USER, 100).withAccruedYield(BigInteger.valueOf(-3));
    assertThat(p.accruedYield()).isZero();
  }

  @Test
  void reversingAnOlderChangeKeepsLaterOnes() {
    Participant now = Participant.fresh(USER, 100).withBalance(300).withLastEventId("later");
    OperationsLog.LoggedChange mintOf100 =
        new OperationsLog.LoggedChange(
            "BALANCE_CHANGED",
            0,
            100,
            0,
            100,
            BigInteger.ZERO,
            100,
            100,
            0,
            false,
            RegistrationStatus.OFF_CHAIN,
            null);
    Participant reversed = mintOf100.reverse(now);
    assertThat(reversed.rbtcBalanceSats()).isEqualTo(200);
    assertThat(reversed.contributionSats()).isEqualTo(200);
    assertThat(reversed.lastEventId()).isEqualTo("later");
  }

  @Test
  void knowsWhetherAnEventIsOlderThanItsNewestBlock() {
    Participant p =
        Participant.fresh(USER, 100).withState(new BlockFinality(31337, 30, Finality.PENDING));
    assertThat(p.newerThan(31337, 20)).isTrue();
    assertThat(p.newerThan(31337, 30)).isFalse();
    assertThat(p.newerThan(31337, 31)).isFalse();
    assertThat(p.newerThan(6342, 20)).isFalse();
    assertThat(Participant.fresh(USER, 100).newerThan(31337, 0)).isFalse();
  }

  @Test
  void restoringAChangeKeepsTheFinalityPosition() {
    BlockFinality position = new BlockFinality(31337, 30, Finality.CONFIRMED);
    Participant now =
        Participant.fresh(USER, 100).withBalance(300).withLastEventId("e2").withState(position);
    OperationsLog.LoggedChange mint =
        new OperationsLog.LoggedChange(
            "BALANCE_CHANGED",
            0,
            300,
            0,
            300,
            BigInteger.ZERO,
            100,
            100,
            0,
            false,
            RegistrationStatus.OFF_CHAIN,
            "e1");
    Participant restored = mint.restore(now);
    assertThat(restored.rbtcBalanceSats()).isZero();
    assertThat(restored.lastEventId()).isEqualTo("e1");
    assertThat(restored.state()).isEqualTo(position);
  }
}
