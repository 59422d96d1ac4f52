package com.reservebtc.yield.participants;

import static org.assertj.core.api.Assertions.assertThat;

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
}
