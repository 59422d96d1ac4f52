package com.reservebtc.devstack;

import com.reservebtc.contracts.anvil.AnvilNode;
import com.reservebtc.contracts.deploy.DeploymentParameters;
import com.reservebtc.contracts.deploy.ProtocolDeployer;
import com.reservebtc.contracts.deploy.ProtocolDeployment;
import com.reservebtc.contracts.generated.YieldScalesPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * Finds or makes the protocol deployment the services run against.
 *
 * <p>Guarantees: a returned deployment is on the node's chain id and every one of its six contracts
 * has code at the latest block. A deployment file given by the user is never replaced; the
 * launcher's own file in the data directory is replaced (with a warning) when its contracts are
 * gone, e.g. after the chain state was lost.
 */
final class Deployments {

  /** Deployer and committee of every deployment the launcher makes. DEV ONLY. */
  static final String DEPLOYER_ADDRESS = AnvilNode.DEV_ACCOUNT_0_ADDRESS;

  /**
   * The yield pool's oracle in every deployment the launcher makes: a key of its own, so the
   * yield-service sends pool transactions without sharing the committee's nonces. DEV ONLY.
   */
  static final String POOL_ORACLE_ADDRESS = AnvilNode.DEV_ACCOUNT_3_ADDRESS;

  private Deployments() {}

  /** What happened, for the progress line. */
  record Outcome(ProtocolDeployment deployment, Path file, boolean reused, String note) {}

  static Outcome ensure(LocalChain chain, Optional<Path> given, Path launcherFile) {
    EvmRpc rpc = new EvmRpc(chain.rpcUrl());
    if (given.isPresent()) {
      ProtocolDeployment deployment = read(given.get());
      Optional<String> problem = problem(deployment, chain, rpc);
      if (problem.isPresent()) {
        throw new DevStackException(
            "the deployment in " + given.get() + " cannot be used: " + problem.get());
      }
      return new Outcome(deployment, given.get(), true, "");
    }
    String note = "";
    if (Files.exists(launcherFile)) {
      ProtocolDeployment previous = read(launcherFile);
      Optional<String> problem = problem(previous, chain, rpc);
      if (problem.isEmpty()) {
        return new Outcome(previous, launcherFile, true, "");
      }
      note =
          "the previous deployment is unusable ("
              + problem.get()
              + "), so the protocol was deployed again; Kafka and PostgreSQL still hold data"
              + " of the old chain: start with --fresh if the services disagree with the chain";
    }
    ProtocolDeployment deployment = deploy(chain.rpcUrl());
    try {
      deployment.writeTo(launcherFile);
    } catch (IOException e) {
      throw new DevStackException("could not write " + launcherFile + ": " + e, e);
    }
    return new Outcome(deployment, launcherFile, false, note);
  }

  private static ProtocolDeployment deploy(String rpcUrl) {
    Web3j web3j = Web3j.build(new HttpService(rpcUrl));
    try {
      return new ProtocolDeployer(web3j, Credentials.create(AnvilNode.DEV_ACCOUNT_0_PRIVATE_KEY))
          .deploy(
              DeploymentParameters.defaults(DEPLOYER_ADDRESS)
                  .withMinConfirmations(1)
                  .withPoolOracle(POOL_ORACLE_ADDRESS));
    } catch (RuntimeException e) {
      throw new DevStackException(
          "deploying the protocol to "
              + rpcUrl
              + " failed: "
              + e.getMessage()
              + (rpcUrl.contains("127.0.0.1")
                  ? ""
                  : " (an external node must fund Anvil's development account 0)"),
          e);
    } finally {
      web3j.shutdown();
    }
  }

  /**
   * The key of the deployment's yield pool oracle when it is the launcher's development pool
   * oracle, else empty (a pool whose oracle is the committee, or an unknown key: the yield-service
   * then runs without a key and records what it would send).
   */
  static Optional<String> poolOracleKey(LocalChain chain, ProtocolDeployment deployment) {
    Web3j web3j = Web3j.build(new HttpService(chain.rpcUrl()));
    try {
      String oracle =
          YieldScalesPool.load(
                  deployment.yieldPool(),
                  web3j,
                  new ReadonlyTransactionManager(web3j, DEPLOYER_ADDRESS),
                  new DefaultGasProvider())
              .oracle()
              .send();
      return POOL_ORACLE_ADDRESS.equalsIgnoreCase(oracle)
          ? Optional.of(AnvilNode.DEV_ACCOUNT_3_PRIVATE_KEY)
          : Optional.empty();
    } catch (Exception e) {
      throw new DevStackException(
          "reading the yield pool's oracle at " + deployment.yieldPool() + " failed: " + e, e);
    } finally {
      web3j.shutdown();
    }
  }

  private static ProtocolDeployment read(Path file) {
    try {
      return ProtocolDeployment.readFrom(file);
    } catch (IOException | IllegalArgumentException e) {
      throw new DevStackException(
          "cannot read the deployment file " + file + ": " + e.getMessage(), e);
    }
  }

  private static Optional<String> problem(
      ProtocolDeployment deployment, LocalChain chain, EvmRpc rpc) {
    if (deployment.chainId() != chain.chainId()) {
      return Optional.of(
          "it is for chain " + deployment.chainId() + " but the node is chain " + chain.chainId());
    }
    for (String address :
        List.of(
            deployment.oracleAggregator(),
            deployment.synth(),
            deployment.feeVault(),
            deployment.feePolicy(),
            deployment.wrbtc(),
            deployment.yieldPool())) {
      if (!rpc.hasCode(address)) {
        return Optional.of("no contract code at " + address);
      }
    }
    return Optional.empty();
  }
}
