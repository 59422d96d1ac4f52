package com.reservebtc.contracts.protocol;

import com.reservebtc.contracts.anvil.AnvilNode;
import com.reservebtc.contracts.deploy.DeploymentParameters;
import com.reservebtc.contracts.deploy.ProtocolDeployer;
import com.reservebtc.contracts.deploy.ProtocolDeployment;
import com.reservebtc.contracts.generated.FeePolicy;
import com.reservebtc.contracts.generated.FeeVault;
import com.reservebtc.contracts.generated.OracleAggregator;
import com.reservebtc.contracts.generated.RBTCSynth;
import com.reservebtc.contracts.generated.VaultWrBTC;
import com.reservebtc.contracts.generated.YieldScalesPool;
import com.reservebtc.contracts.revert.Reverts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.InvalidAlgorithmParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.ContractGasProvider;
import org.web3j.tx.gas.StaticEIP1559GasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.utils.Numeric;

/**
 * A fresh Anvil chain with the protocol deployed by {@link ProtocolDeployer}, for one test class.
 */
final class TestChain implements AutoCloseable {
  static final BigInteger ONE_ETH = BigInteger.TEN.pow(18);
  private static final BigInteger MAX_FEE_PER_GAS = BigInteger.valueOf(20_000_000_000L);
  private static final BigInteger PRIORITY_FEE = BigInteger.valueOf(1_000_000_000L);
  private static final BigInteger GAS_LIMIT = BigInteger.valueOf(1_000_000);

  final AnvilNode node;
  final HttpService http;
  final Web3j web3j;
  final ProtocolDeployment deployment;
  final Credentials committee = Credentials.create(AnvilNode.DEV_ACCOUNT_0_PRIVATE_KEY);
  final Credentials outsider = Credentials.create(AnvilNode.DEV_ACCOUNT_1_PRIVATE_KEY);
  private final ScheduledExecutorService executor;

  private TestChain(AnvilNode node) {
    this.node = node;
    this.http = new HttpService(node.rpcUrl());
    this.executor = Executors.newSingleThreadScheduledExecutor();
    // Anvil mines on every transaction, so a short polling interval keeps the tests fast.
    this.web3j = Web3j.build(http, 100, executor);
    this.deployment =
        new ProtocolDeployer(web3j, committee)
            .deploy(DeploymentParameters.defaults(committee.getAddress()));
  }

  static TestChain start() {
    AnvilNode node = AnvilNode.start();
    try {
      return new TestChain(node);
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
  }

  TransactionManager txManager(Credentials sender) {
    return new RawTransactionManager(
        web3j, sender, node.chainId(), new PollingTransactionReceiptProcessor(web3j, 100, 300));
  }

  /**
   * A fixed gas limit: web3j estimates gas without the transaction's value, which under-prices
   * payable calls such as registerAndPrepay; a fixed limit also lets reverting transactions be
   * mined.
   */
  ContractGasProvider gas() {
    return new StaticEIP1559GasProvider(node.chainId(), MAX_FEE_PER_GAS, PRIORITY_FEE, GAS_LIMIT);
  }

  OracleAggregator aggregator(Credentials sender) {
    return OracleAggregator.load(deployment.oracleAggregator(), web3j, txManager(sender), gas());
  }

  RBTCSynth synth(Credentials sender) {
    return RBTCSynth.load(deployment.synth(), web3j, txManager(sender), gas());
  }

  FeeVault feeVault(Credentials sender) {
    return FeeVault.load(deployment.feeVault(), web3j, txManager(sender), gas());
  }

  FeePolicy feePolicy() {
    return FeePolicy.load(deployment.feePolicy(), web3j, txManager(committee), gas());
  }

  VaultWrBTC wrbtc(Credentials sender) {
    return VaultWrBTC.load(deployment.wrbtc(), web3j, txManager(sender), gas());
  }

  YieldScalesPool yieldPool(Credentials sender) {
    return YieldScalesPool.load(deployment.yieldPool(), web3j, txManager(sender), gas());
  }

  /** A new random account holding 10 ETH, so it can send its own transactions. */
  Credentials newUser() {
    try {
      Credentials user = Credentials.create(Keys.createEcKeyPair());
      setBalance(user.getAddress(), ONE_ETH.multiply(BigInteger.TEN));
      return user;
    } catch (InvalidAlgorithmParameterException
        | NoSuchAlgorithmException
        | NoSuchProviderException e) {
      throw new IllegalStateException(e);
    }
  }

  void setBalance(String address, BigInteger wei) {
    rpc("anvil_setBalance", List.of(address, Numeric.toHexStringWithPrefix(wei)));
  }

  /** Moves the chain clock forward and mines a block at the new time. */
  void advanceTime(long seconds) {
    rpc("evm_increaseTime", List.of(seconds));
    rpc("evm_mine", List.of());
  }

  private void rpc(String method, List<?> params) {
    try {
      Response<?> response = new Request<>(method, params, http, VoidResponse.class).send();
      if (response.hasError()) {
        throw new IllegalStateException(method + " failed: " + response.getError().getMessage());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Simulates a call with {@code eth_call} at the latest block. */
  EthCall call(String from, String to, String data) {
    return call(from, to, data, BigInteger.ZERO);
  }

  EthCall call(String from, String to, String data, BigInteger value) {
    try {
      return web3j
          .ethCall(
              Transaction.createEthCallTransaction(from, to, data, value),
              DefaultBlockParameterName.LATEST)
          .send();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The revert data of a reverted {@code eth_call}; fails if the call did not revert. */
  static String revertData(EthCall call) {
    if (!call.hasError()) {
      throw new AssertionError("expected the call to revert but it returned " + call.getValue());
    }
    return Reverts.revertData(call.getError())
        .orElseThrow(() -> new AssertionError("no revert data in " + call.getError().getMessage()));
  }

  @Override
  public void close() {
    try {
      web3j.shutdown();
    } finally {
      node.close();
    }
  }
}
