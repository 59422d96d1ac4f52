package com.reservebtc.contracts.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.reservebtc.contracts.generated.FeeVault;
import com.reservebtc.contracts.generated.OracleAggregator;
import com.reservebtc.contracts.revert.ContractError;
import com.reservebtc.contracts.revert.Reverts;
import java.math.BigInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FeeVaultIT {
  private static final BigInteger MILLI_ETH = BigInteger.TEN.pow(15);

  private TestChain chain;
  private String vault;

  @BeforeAll
  void deploy() {
    chain = TestChain.start();
    vault = chain.deployment.feeVault();
  }

  @AfterAll
  void stop() {
    if (chain != null) {
      chain.close();
    }
  }

  @Test
  void anyoneCanDepositForAUser() throws Exception {
    String user = TestAccounts.randomAddress();

    TransactionReceipt receipt =
        chain.feeVault(chain.outsider).depositETH(user, MILLI_ETH.multiply(BigInteger.TWO)).send();

    assertThat(FeeVault.getDepositedEvents(receipt))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.user).isEqualTo(user);
              assertThat(d.amount).isEqualTo(MILLI_ETH.multiply(BigInteger.TWO));
            });
    assertThat(chain.feeVault(chain.outsider).balanceOf(user).send())
        .isEqualTo(MILLI_ETH.multiply(BigInteger.TWO));
  }

  @Test
  void rejectsEmptyDepositsAndTheZeroAddress() {
    FeeVault feeVault = chain.feeVault(chain.outsider);
    String empty =
        TestChain.revertData(
            chain.call(
                chain.outsider.getAddress(),
                vault,
                feeVault
                    .depositETH(TestAccounts.randomAddress(), BigInteger.ZERO)
                    .encodeFunctionCall()));
    String zeroUser =
        TestChain.revertData(
            chain.call(
                chain.outsider.getAddress(),
                vault,
                feeVault
                    .depositETH("0x0000000000000000000000000000000000000000", MILLI_ETH)
                    .encodeFunctionCall(),
                MILLI_ETH));

    assertThat(Reverts.customError(empty)).contains(ContractError.ZERO_VALUE);
    assertThat(Reverts.customError(zeroUser)).contains(ContractError.ZERO_ADDRESS);
  }

  @Test
  void onlyTheAggregatorSpends() {
    String user = TestAccounts.randomAddress();
    String data = chain.feeVault(chain.committee).spendFrom(user, MILLI_ETH).encodeFunctionCall();

    String revert = TestChain.revertData(chain.call(chain.committee.getAddress(), vault, data));

    assertThat(Reverts.customError(revert)).contains(ContractError.RESTRICTED);
  }

  @Test
  void userWithdrawsWhatIsLeftAfterFees() throws Exception {
    Credentials user = chain.newUser();
    OracleAggregator aggregator = chain.aggregator(chain.committee);
    aggregator
        .registerAndPrepay(
            user.getAddress(), BigInteger.ZERO, new byte[32], MILLI_ETH.multiply(BigInteger.TEN))
        .send();
    aggregator.sync(user.getAddress(), BigInteger.valueOf(100_000), new byte[0]).send();
    BigInteger left =
        MILLI_ETH.multiply(BigInteger.TEN).subtract(new BigInteger("2000000000000000"));
    FeeVault asUser = chain.feeVault(user);
    assertThat(asUser.balanceOf(user.getAddress()).send()).isEqualTo(left);
    BigInteger ethBefore = ethBalance(user.getAddress());

    TransactionReceipt receipt = asUser.withdrawUnused().send();

    assertThat(FeeVault.getWithdrawnEvents(receipt))
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.user).isEqualTo(user.getAddress());
              assertThat(w.amount).isEqualTo(left);
            });
    BigInteger gasPaid =
        receipt
            .getGasUsed()
            .multiply(new BigInteger(receipt.getEffectiveGasPrice().substring(2), 16));
    assertThat(ethBalance(user.getAddress())).isEqualTo(ethBefore.add(left).subtract(gasPaid));
    assertThat(asUser.balanceOf(user.getAddress()).send()).isZero();
    String again =
        TestChain.revertData(
            chain.call(user.getAddress(), vault, asUser.withdrawUnused().encodeFunctionCall()));
    assertThat(Reverts.customError(again)).contains(ContractError.ZERO_VALUE);
  }

  @Test
  void feeCollectorSweepsSpentFees() throws Exception {
    OracleAggregator aggregator = chain.aggregator(chain.committee);
    String user = TestAccounts.randomAddress();
    aggregator
        .registerAndPrepay(user, BigInteger.ZERO, new byte[32], MILLI_ETH.multiply(BigInteger.TWO))
        .send();
    aggregator.sync(user, BigInteger.ONE, new byte[0]).send();
    FeeVault asCommittee = chain.feeVault(chain.committee);
    BigInteger collected = asCommittee.collectedFees().send();
    String destination = TestAccounts.randomAddress();
    String outsider =
        TestChain.revertData(
            chain.call(
                chain.outsider.getAddress(),
                vault,
                asCommittee.collectFees(destination).encodeFunctionCall()));

    TransactionReceipt receipt = asCommittee.collectFees(destination).send();

    assertThat(Reverts.customError(outsider)).contains(ContractError.RESTRICTED);
    assertThat(collected).isGreaterThanOrEqualTo(new BigInteger("1000010000000000"));
    assertThat(FeeVault.getFeesCollectedEvents(receipt))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.to).isEqualTo(destination);
              assertThat(c.amount).isEqualTo(collected);
            });
    assertThat(ethBalance(destination)).isEqualTo(collected);
    assertThat(asCommittee.collectedFees().send()).isZero();
  }

  private BigInteger ethBalance(String address) throws Exception {
    return chain.web3j.ethGetBalance(address, DefaultBlockParameterName.LATEST).send().getBalance();
  }
}
