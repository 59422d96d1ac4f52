package com.reservebtc.contracts.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.reservebtc.contracts.generated.FeeVault;
import com.reservebtc.contracts.generated.OracleAggregator;
import com.reservebtc.contracts.generated.OracleAggregator.EmergencyBurnEventResponse;
import com.reservebtc.contracts.generated.OracleAggregator.SyncedEventResponse;
import com.reservebtc.contracts.generated.RBTCSynth;
import com.reservebtc.contracts.generated.RBTCSynth.TransferEventResponse;
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
import org.web3j.protocol.exceptions.TransactionException;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OracleAggregatorIT {
  private static final String ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
  private static final byte[] NO_PROOF = new byte[0];
  private static final byte[] CHECKSUM = new byte[32];

  private TestChain chain;
  private OracleAggregator aggregator;
  private OracleAggregator aggregatorAsOutsider;
  private RBTCSynth synth;
  private FeeVault feeVault;

  @BeforeAll
  void deploy() {
    chain = TestChain.start();
    aggregator = chain.aggregator(chain.committee);
    aggregatorAsOutsider = chain.aggregator(chain.outsider);
    synth = chain.synth(chain.committee);
    feeVault = chain.feeVault(chain.committee);
  }

  @AfterAll
  void stop() {
    if (chain != null) {
      chain.close();
    }
  }

  @Test
  void syncOf900000SatsMintsAndSpendsTheFeeAtTheCap() throws Exception {
    String user = newAddress();
    prepay(user, wei("10000000000000000"));

    TransactionReceipt receipt =
        aggregator.sync(user, BigInteger.valueOf(900_000), NO_PROOF).send();

    assertThat(receipt.isStatusOK()).isTrue();
    SyncedEventResponse synced = single(OracleAggregator.getSyncedEvents(receipt));
    assertThat(synced.user).isEqualTo(user);
    assertThat(synced.newBalanceSats).isEqualTo(BigInteger.valueOf(900_000));
    assertThat(synced.deltaSats).isEqualTo(BigInteger.valueOf(900_000));
    assertThat(synced.feeWei).isEqualTo(wei("10000000000000000"));
    assertThat(synced.height).isZero();
    assertThat(synced.timestamp).isEqualTo(blockTimestamp(receipt));
    TransferEventResponse mint = single(RBTCSynth.getTransferEvents(receipt));
    assertThat(mint.log.getAddress()).isEqualTo(chain.deployment.synth());
    assertThat(mint.from).isEqualTo(ZERO_ADDRESS);
    assertThat(mint.to).isEqualTo(user);
    assertThat(mint.amount).isEqualTo(BigInteger.valueOf(900_000));
    FeeVault.SpentEventResponse spent = single(FeeVault.getSpentEvents(receipt));
    assertThat(spent.user).isEqualTo(user);
    assertThat(spent.amount).isEqualTo(wei("10000000000000000"));
    assertThat(spent.by).isEqualTo(chain.deployment.oracleAggregator());

    assertThat(synth.balanceOf(user).send()).isEqualTo(BigInteger.valueOf(900_000));
    assertThat(synth.totalSupply().send()).isGreaterThanOrEqualTo(BigInteger.valueOf(900_000));
    assertThat(aggregator.lastSats(user).send()).isEqualTo(BigInteger.valueOf(900_000));
    assertThat(feeVault.balanceOf(user).send()).isZero();
  }

  @Test
  void syncAbove900000SatsRevertsWithFeeCapExceeded() throws Exception {
    String user = newAddress();
    prepay(user, wei("50000000000000000"));

    String revert = simulateSync(chain.committee, user, BigInteger.valueOf(900_001));

    assertThat(Reverts.customError(revert)).contains(ContractError.FEE_CAP_EXCEEDED);
    assertThat(revert).isEqualTo(ContractError.FEE_CAP_EXCEEDED.selector());
    assertThat(aggregator.lastSats(user).send()).isZero();
  }

  @Test
  void upwardSyncWithAnEmptyFeeVaultRevertsWithNeedsTopUp() throws Exception {
    String user = newAddress();

    String revert = simulateSync(chain.committee, user, BigInteger.valueOf(1_000));

    assertThat(Reverts.message(revert)).contains(Reverts.NEEDS_TOP_UP);
    assertThat(Reverts.isNeedsTopUp(revert)).isTrue();
    assertThat(Reverts.customError(revert)).isEmpty();
  }

  @Test
  void upwardSyncWithTooFewFeesLeftRevertsWithNeedsTopUp() throws Exception {
    String user = newAddress();
    prepay(user, wei("1499999999999999"));

    String revert = simulateSync(chain.committee, user, BigInteger.valueOf(50_000));

    assertThat(Reverts.isNeedsTopUp(revert)).isTrue();
  }

  @Test
  void downwardSyncWithAnEmptyFeeVaultBurnsTheWholeBalance() throws Exception {
    String user = newAddress();
    BigInteger minted = BigInteger.valueOf(200_000);
    prepay(user, chain.feePolicy().quoteFees(user, minted).send());
    aggregator.sync(user, minted, NO_PROOF).send();
    assertThat(feeVault.balanceOf(user).send()).isZero();
    BigInteger burnsBefore = aggregator.totalEmergencyBurns().send();

    TransactionReceipt receipt =
        aggregator.sync(user, BigInteger.valueOf(150_000), NO_PROOF).send();

    EmergencyBurnEventResponse burn = single(OracleAggregator.getEmergencyBurnEvents(receipt));
    assertThat(burn.user).isEqualTo(user);
    assertThat(burn.burnedAmount).isEqualTo(minted);
    assertThat(burn.reason).isEqualTo("Insufficient fees");
    SyncedEventResponse synced = single(OracleAggregator.getSyncedEvents(receipt));
    assertThat(synced.newBalanceSats).isZero();
    assertThat(synced.deltaSats).isEqualTo(minted.negate());
    assertThat(synced.feeWei).isZero();
    assertThat(synced.height).isZero();
    assertThat(synced.timestamp).isEqualTo(blockTimestamp(receipt));
    assertThat(burn.log.getLogIndex()).isLessThan(synced.log.getLogIndex());
    TransferEventResponse burnTransfer = single(RBTCSynth.getTransferEvents(receipt));
    assertThat(burnTransfer.from).isEqualTo(user);
    assertThat(burnTransfer.to).isEqualTo(ZERO_ADDRESS);
    assertThat(burnTransfer.amount).isEqualTo(minted);
    assertThat(FeeVault.getSpentEvents(receipt)).isEmpty();

    assertThat(synth.balanceOf(user).send()).isZero();
    assertThat(aggregator.lastSats(user).send()).isZero();
    assertThat(aggregator.emergencyBurnExecuted(user).send()).isTrue();
    assertThat(aggregator.totalEmergencyBurns().send()).isEqualTo(burnsBefore.add(BigInteger.ONE));
  }

  @Test
  void downwardSyncWithFeesBurnsTheDeltaAndChargesTheFixedFee() throws Exception {
    String user = newAddress();
    prepay(user, wei("10000000000000000"));
    aggregator.sync(user, BigInteger.valueOf(100_000), NO_PROOF).send();
    BigInteger vaultBefore = feeVault.balanceOf(user).send();

    TransactionReceipt receipt = aggregator.sync(user, BigInteger.valueOf(90_000), NO_PROOF).send();

    SyncedEventResponse synced = single(OracleAggregator.getSyncedEvents(receipt));
    assertThat(synced.deltaSats).isEqualTo(BigInteger.valueOf(-10_000));
    assertThat(synced.feeWei).isEqualTo(wei("1000000000000000"));
    assertThat(OracleAggregator.getEmergencyBurnEvents(receipt)).isEmpty();
    assertThat(synth.balanceOf(user).send()).isEqualTo(BigInteger.valueOf(90_000));
    assertThat(feeVault.balanceOf(user).send())
        .isEqualTo(vaultBefore.subtract(wei("1000000000000000")));
  }

  @Test
  void syncToTheLastReportedBalanceChangesNothing() throws Exception {
    String user = newAddress();
    prepay(user, wei("1000000000000000"));

    TransactionReceipt receipt = aggregator.sync(user, BigInteger.ZERO, NO_PROOF).send();

    assertThat(receipt.isStatusOK()).isTrue();
    assertThat(receipt.getLogs()).isEmpty();
    assertThat(feeVault.balanceOf(user).send()).isEqualTo(wei("1000000000000000"));
  }

  @Test
  void syncFromAnyoneButTheCommitteeRevertsWithRestricted() {
    String revert = simulateSync(chain.outsider, newAddress(), BigInteger.valueOf(1_000));

    assertThat(Reverts.customError(revert)).contains(ContractError.RESTRICTED);
  }

  @Test
  void syncRejectsTheZeroAddressAndBalancesAboveInt64() {
    String zeroUser = simulateSync(chain.committee, ZERO_ADDRESS, BigInteger.ONE);
    String tooLarge =
        simulateSync(
            chain.committee, newAddress(), BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE));

    assertThat(Reverts.customError(zeroUser)).contains(ContractError.ZERO_ADDRESS);
    assertThat(Reverts.customError(tooLarge)).contains(ContractError.BALANCE_OUT_OF_RANGE);
  }

  @Test
  void registerAndPrepayDepositsIntoTheFeeVaultForTheCommitteeOnly() throws Exception {
    String user = newAddress();

    TransactionReceipt receipt =
        aggregator
            .registerAndPrepay(user, BigInteger.ONE, CHECKSUM, wei("3000000000000000"))
            .send();

    FeeVault.DepositedEventResponse deposited = single(FeeVault.getDepositedEvents(receipt));
    assertThat(deposited.user).isEqualTo(user);
    assertThat(deposited.amount).isEqualTo(wei("3000000000000000"));
    assertThat(feeVault.balanceOf(user).send()).isEqualTo(wei("3000000000000000"));
    String data =
        aggregatorAsOutsider
            .registerAndPrepay(user, BigInteger.ONE, CHECKSUM, BigInteger.ONE)
            .encodeFunctionCall();
    String revert =
        TestChain.revertData(
            chain.call(
                chain.outsider.getAddress(),
                chain.deployment.oracleAggregator(),
                data,
                BigInteger.ONE));
    assertThat(Reverts.customError(revert)).contains(ContractError.RESTRICTED);
  }

  @Test
  void committeeCanBurnAUsersWholeBalanceAndResetTheFlag() throws Exception {
    String user = newAddress();
    prepay(user, wei("10000000000000000"));
    aggregator.sync(user, BigInteger.valueOf(70_000), NO_PROOF).send();

    String outsiderRevert =
        TestChain.revertData(
            chain.call(
                chain.outsider.getAddress(),
                chain.deployment.oracleAggregator(),
                aggregator.executeEmergencyBurn(user).encodeFunctionCall()));
    TransactionReceipt receipt = aggregator.executeEmergencyBurn(user).send();

    assertThat(Reverts.customError(outsiderRevert)).contains(ContractError.RESTRICTED);
    EmergencyBurnEventResponse burn = single(OracleAggregator.getEmergencyBurnEvents(receipt));
    assertThat(burn.burnedAmount).isEqualTo(BigInteger.valueOf(70_000));
    assertThat(burn.reason).isEqualTo("Committee emergency burn");
    SyncedEventResponse synced = single(OracleAggregator.getSyncedEvents(receipt));
    assertThat(synced.deltaSats).isEqualTo(BigInteger.valueOf(-70_000));
    assertThat(synth.balanceOf(user).send()).isZero();
    assertThat(aggregator.emergencyBurnExecuted(user).send()).isTrue();

    aggregator.resetEmergencyBurnStatus(user).send();

    assertThat(aggregator.emergencyBurnExecuted(user).send()).isFalse();
  }

  @Test
  void rBtcSynthIsSoulbound() throws Exception {
    String holder = newAddress();
    prepay(holder, wei("10000000000000000"));
    aggregator.sync(holder, BigInteger.valueOf(10_000), NO_PROOF).send();
    String other = newAddress();

    String transfer =
        simulateAs(holder, synth.transfer(other, BigInteger.ONE).encodeFunctionCall());
    String approve = simulateAs(holder, synth.approve(other, BigInteger.ONE).encodeFunctionCall());
    String transferFrom =
        simulateAs(other, synth.transferFrom(holder, other, BigInteger.ONE).encodeFunctionCall());

    assertThat(List.of(transfer, approve, transferFrom))
        .allSatisfy(r -> assertThat(Reverts.customError(r)).contains(ContractError.SOULBOUND));
    assertThat(synth.name().send()).isEqualTo("Reserve BTC Synth");
    assertThat(synth.symbol().send()).isEqualTo("rBTC-SYNTH");
    assertThat(synth.decimals().send()).isEqualTo(BigInteger.valueOf(8));
  }

  @Test
  void onlyTheAggregatorMintsAndBurns() {
    String user = newAddress();
    String mint =
        simulateAs(
            chain.committee.getAddress(),
            synth.oracleMint(user, BigInteger.ONE).encodeFunctionCall());
    String burn =
        simulateAs(
            chain.committee.getAddress(),
            synth.oracleBurn(user, BigInteger.ONE).encodeFunctionCall());

    assertThat(Reverts.customError(mint)).contains(ContractError.RESTRICTED);
    assertThat(Reverts.customError(burn)).contains(ContractError.RESTRICTED);
  }

  @Test
  void minedNeedsTopUpSyncFailsWithoutLogs() {
    String user = newAddress();
    // The test gas provider has a fixed limit, so the reverting transaction is really mined.
    Throwable failure =
        catchThrowable(() -> aggregator.sync(user, BigInteger.TEN, NO_PROOF).send());

    assertThat(failure).isInstanceOf(TransactionException.class);
    TransactionReceipt receipt =
        ((TransactionException) failure).getTransactionReceipt().orElseThrow();
    assertThat(receipt.isStatusOK()).isFalse();
    assertThat(receipt.getLogs()).isEmpty();
  }

  private String simulateSync(Credentials from, String user, BigInteger newBalanceSats) {
    String data = aggregator.sync(user, newBalanceSats, NO_PROOF).encodeFunctionCall();
    return TestChain.revertData(
        chain.call(from.getAddress(), chain.deployment.oracleAggregator(), data));
  }

  private String simulateAs(String from, String data) {
    return TestChain.revertData(chain.call(from, chain.deployment.synth(), data));
  }

  private void prepay(String user, BigInteger wei) throws Exception {
    aggregator.registerAndPrepay(user, BigInteger.ZERO, CHECKSUM, wei).send();
  }

  private BigInteger blockTimestamp(TransactionReceipt receipt) throws Exception {
    return chain
        .web3j
        .ethGetBlockByNumber(DefaultBlockParameter.valueOf(receipt.getBlockNumber()), false)
        .send()
        .getBlock()
        .getTimestamp();
  }

  private static String newAddress() {
    return TestAccounts.randomAddress();
  }

  private static BigInteger wei(String value) {
    return new BigInteger(value);
  }

  private static <T> T single(List<T> items) {
    assertThat(items).hasSize(1);
    return items.get(0);
  }
}
