package com.reservebtc.contracts.deploy;

import com.reservebtc.contracts.generated.FeePolicy;
import com.reservebtc.contracts.generated.FeeVault;
import com.reservebtc.contracts.generated.OracleAggregator;
import com.reservebtc.contracts.generated.RBTCSynth;
import com.reservebtc.contracts.generated.VaultWrBTC;
import com.reservebtc.contracts.generated.YieldScalesPool;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.ContractUtils;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.RemoteCall;
import org.web3j.tx.Contract;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.ContractGasProvider;
import org.web3j.tx.gas.DynamicEIP1559GasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * Deploys the six protocol contracts, wired to each other, from one deployer key.
 *
 * <p>The wiring is circular: the synth, the wrBTC vault and the fee vault must know the aggregator,
 * and the aggregator holds all of them as immutables. The deployer resolves it by predicting the
 * aggregator's CREATE address from the deployer's nonce and deploying in a fixed order: FeePolicy,
 * FeeVault, RBTCSynth, VaultWrBTC, OracleAggregator, YieldScalesPool (nonces n..n+5).
 *
 * <p>Guarantees: every contract lands at its predicted address or the deployment fails with an
 * exception (the aggregator's constructor also re-checks the wiring on-chain), and each step waits
 * for its receipt. Does not guarantee atomicity: a failure midway leaves the earlier contracts
 * deployed and unused. The deployer key must not send other transactions while this runs.
 */
public final class ProtocolDeployer {
  private static final Logger log = LoggerFactory.getLogger(ProtocolDeployer.class);
  private static final Duration DEFAULT_RECEIPT_POLL = Duration.ofMillis(100);
  private static final Duration DEFAULT_RECEIPT_TIMEOUT = Duration.ofMinutes(2);

  private final Web3j web3j;
  private final Credentials deployer;
  private final Duration receiptPollInterval;
  private final Duration receiptTimeout;

  /** A deployer polling for receipts every 100 ms for up to 2 minutes. */
  public ProtocolDeployer(Web3j web3j, Credentials deployer) {
    this(web3j, deployer, DEFAULT_RECEIPT_POLL, DEFAULT_RECEIPT_TIMEOUT);
  }

  public ProtocolDeployer(
      Web3j web3j, Credentials deployer, Duration receiptPollInterval, Duration receiptTimeout) {
    this.web3j = Objects.requireNonNull(web3j, "web3j");
    this.deployer = Objects.requireNonNull(deployer, "deployer");
    this.receiptPollInterval = Objects.requireNonNull(receiptPollInterval, "receiptPollInterval");
    this.receiptTimeout = Objects.requireNonNull(receiptTimeout, "receiptTimeout");
    if (receiptPollInterval.toMillis() <= 0 || receiptTimeout.compareTo(receiptPollInterval) < 0) {
      throw new IllegalArgumentException(
          "receiptPollInterval must be >= 1 ms and not longer than receiptTimeout");
    }
  }

  /**
   * Deploys and wires the protocol.
   *
   * @throws IllegalStateException if a deployment transaction fails or a contract does not land at
   *     its predicted address (for example because the deployer key was used concurrently)
   */
  public ProtocolDeployment deploy(DeploymentParameters parameters) {
    Objects.requireNonNull(parameters, "parameters");
    long chainId =
        call("read the chain id", () -> web3j.ethChainId().send().getChainId()).longValueExact();
    String from = deployer.getAddress();
    BigInteger nonce =
        call(
            "read the deployer nonce",
            () ->
                web3j
                    .ethGetTransactionCount(from, DefaultBlockParameterName.PENDING)
                    .send()
                    .getTransactionCount());

    String feePolicyAt = predict(from, nonce, 0);
    String feeVaultAt = predict(from, nonce, 1);
    String synthAt = predict(from, nonce, 2);
    String wrbtcAt = predict(from, nonce, 3);
    String aggregatorAt = predict(from, nonce, 4);
    String yieldPoolAt = predict(from, nonce, 5);

    TransactionManager tx =
        new RawTransactionManager(
            web3j,
            deployer,
            chainId,
            new PollingTransactionReceiptProcessor(
                web3j, receiptPollInterval.toMillis(), attempts()));
    ContractGasProvider gas = new DynamicEIP1559GasProvider(web3j, chainId);

    FeePolicy feePolicy =
        deployAt(
            "FeePolicy",
            feePolicyAt,
            FeePolicy.deploy(
                web3j,
                tx,
                gas,
                parameters.pctBps(),
                parameters.fixedWei(),
                parameters.weiPerSat()));
    deployAt(
        "FeeVault",
        feeVaultAt,
        FeeVault.deploy(web3j, tx, gas, aggregatorAt, parameters.committee()));
    deployAt("RBTCSynth", synthAt, RBTCSynth.deploy(web3j, tx, gas, aggregatorAt, wrbtcAt));
    deployAt("VaultWrBTC", wrbtcAt, VaultWrBTC.deploy(web3j, tx, gas, synthAt, aggregatorAt));
    deployAt(
        "OracleAggregator",
        aggregatorAt,
        OracleAggregator.deploy(
            web3j,
            tx,
            gas,
            synthAt,
            feeVaultAt,
            feePolicyAt,
            wrbtcAt,
            parameters.committee(),
            BigInteger.valueOf(parameters.minConfirmations()),
            parameters.maxFeePerSyncWei()));
    deployAt(
        "YieldScalesPool",
        yieldPoolAt,
        YieldScalesPool.deploy(web3j, tx, gas, synthAt, parameters.poolOracle()));

    long deploymentBlock =
        feePolicy
            .getTransactionReceipt()
            .orElseThrow(() -> new IllegalStateException("FeePolicy deployment has no receipt"))
            .getBlockNumber()
            .longValueExact();
    ProtocolDeployment deployment =
        new ProtocolDeployment(
            chainId,
            deploymentBlock,
            parameters.committee(),
            aggregatorAt,
            synthAt,
            feeVaultAt,
            feePolicyAt,
            wrbtcAt,
            yieldPoolAt);
    log.info(
        "Protocol deployed on chain {} from block {}: aggregator {}, synth {}, feeVault {},"
            + " feePolicy {}, wrbtc {}, yieldPool {} (oracle {}), committee {}",
        chainId,
        deploymentBlock,
        aggregatorAt,
        synthAt,
        feeVaultAt,
        feePolicyAt,
        wrbtcAt,
        yieldPoolAt,
        parameters.poolOracle(),
        parameters.committee());
    return deployment;
  }

  private int attempts() {
    return (int) Math.max(1, receiptTimeout.toMillis() / receiptPollInterval.toMillis());
  }

  private static String predict(String from, BigInteger nonce, int offset) {
    return ContractUtils.generateContractAddress(from, nonce.add(BigInteger.valueOf(offset)))
        .toLowerCase(Locale.ROOT);
  }

  private static <C extends Contract> C deployAt(
      String name, String predicted, RemoteCall<C> deployment) {
    C contract = call("deploy " + name, deployment::send);
    String actual = contract.getContractAddress();
    if (!predicted.equalsIgnoreCase(actual)) {
      throw new IllegalStateException(
          name
              + " was deployed at "
              + actual
              + " but "
              + predicted
              + " was predicted; the deployer key must not send other transactions during a"
              + " deployment");
    }
    log.debug("{} deployed at {}", name, actual);
    return contract;
  }

  private static <T> T call(String what, ThrowingSupplier<T> action) {
    try {
      return action.get();
    } catch (IOException e) {
      throw new IllegalStateException(
          "Could not " + what + ": node unreachable: " + e.getMessage(), e);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("Could not " + what + ": " + e.getMessage(), e);
    }
  }

  @FunctionalInterface
  private interface ThrowingSupplier<T> {
    T get() throws Exception;
  }
}
