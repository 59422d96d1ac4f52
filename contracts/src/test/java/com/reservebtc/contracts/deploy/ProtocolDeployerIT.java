package com.reservebtc.contracts.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.reservebtc.contracts.anvil.AnvilNode;
import com.reservebtc.contracts.generated.FeeVault;
import com.reservebtc.contracts.generated.OracleAggregator;
import com.reservebtc.contracts.generated.RBTCSynth;
import com.reservebtc.contracts.generated.VaultWrBTC;
import com.reservebtc.contracts.generated.YieldScalesPool;
import com.reservebtc.contracts.revert.ContractError;
import com.reservebtc.contracts.revert.Reverts;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProtocolDeployerIT {
  private AnvilNode node;
  private Web3j web3j;
  private final Credentials deployer = Credentials.create(AnvilNode.DEV_ACCOUNT_0_PRIVATE_KEY);

  @BeforeAll
  void startChain() {
    node = AnvilNode.builder().chainId(6342).start();
    web3j =
        Web3j.build(
            new HttpService(node.rpcUrl()), 100, Executors.newSingleThreadScheduledExecutor());
  }

  @AfterAll
  void stopChain() {
    if (web3j != null) {
      web3j.shutdown();
    }
    if (node != null) {
      node.close();
    }
  }

  @Test
  void theYieldPoolCanHaveAnOracleOfItsOwn() throws Exception {
    ProtocolDeployment deployment =
        new ProtocolDeployer(web3j, deployer)
            .deploy(
                DeploymentParameters.defaults(AnvilNode.DEV_ACCOUNT_1_ADDRESS)
                    .withPoolOracle(AnvilNode.DEV_ACCOUNT_3_ADDRESS));
    var readOnly = new ReadonlyTransactionManager(web3j, deployer.getAddress());
    var gas = new DefaultGasProvider();
    assertThat(YieldScalesPool.load(deployment.yieldPool(), web3j, readOnly, gas).oracle().send())
        .isEqualTo(AnvilNode.DEV_ACCOUNT_3_ADDRESS);
    assertThat(
            OracleAggregator.load(deployment.oracleAggregator(), web3j, readOnly, gas)
                .committee()
                .send())
        .isEqualTo(AnvilNode.DEV_ACCOUNT_1_ADDRESS);
  }

  @Test
  void deploysTheSixContractsWiredToEachOther(@TempDir Path dir) throws Exception {
    DeploymentParameters parameters =
        DeploymentParameters.defaults(AnvilNode.DEV_ACCOUNT_1_ADDRESS);

    ProtocolDeployment deployment = new ProtocolDeployer(web3j, deployer).deploy(parameters);

    assertThat(deployment.chainId()).isEqualTo(6342);
    assertThat(deployment.committee()).isEqualTo(AnvilNode.DEV_ACCOUNT_1_ADDRESS);
    assertThat(
            List.of(
                deployment.oracleAggregator(),
                deployment.synth(),
                deployment.feeVault(),
                deployment.feePolicy(),
                deployment.wrbtc(),
                deployment.yieldPool()))
        .doesNotHaveDuplicates()
        .allSatisfy(
            address ->
                assertThat(codeAt(address, deployment.deploymentBlock() + 5)).isNotEqualTo("0x"));
    assertThat(codeAt(deployment.feePolicy(), deployment.deploymentBlock())).isNotEqualTo("0x");
    assertThat(codeAt(deployment.feePolicy(), deployment.deploymentBlock() - 1)).isEqualTo("0x");

    var readOnly = new ReadonlyTransactionManager(web3j, deployer.getAddress());
    var gas = new DefaultGasProvider();
    OracleAggregator aggregator =
        OracleAggregator.load(deployment.oracleAggregator(), web3j, readOnly, gas);
    assertThat(aggregator.synth().send()).isEqualTo(deployment.synth());
    assertThat(aggregator.feeVault().send()).isEqualTo(deployment.feeVault());
    assertThat(aggregator.feePolicy().send()).isEqualTo(deployment.feePolicy());
    assertThat(aggregator.wrbtc().send()).isEqualTo(deployment.wrbtc());
    assertThat(aggregator.committee().send()).isEqualTo(AnvilNode.DEV_ACCOUNT_1_ADDRESS);
    assertThat(aggregator.minConfirmations().send()).isEqualTo(BigInteger.valueOf(6));
    assertThat(aggregator.maxFeePerSyncWei().send()).isEqualTo(BigInteger.TEN.pow(16));
    RBTCSynth synth = RBTCSynth.load(deployment.synth(), web3j, readOnly, gas);
    assertThat(synth.oracleAggregator().send()).isEqualTo(deployment.oracleAggregator());
    assertThat(synth.wrbtc().send()).isEqualTo(deployment.wrbtc());
    VaultWrBTC wrbtc = VaultWrBTC.load(deployment.wrbtc(), web3j, readOnly, gas);
    assertThat(wrbtc.synth().send()).isEqualTo(deployment.synth());
    assertThat(wrbtc.decimals().send()).isEqualTo(BigInteger.valueOf(8));
    FeeVault feeVault = FeeVault.load(deployment.feeVault(), web3j, readOnly, gas);
    assertThat(feeVault.oracleAggregator().send()).isEqualTo(deployment.oracleAggregator());
    assertThat(feeVault.feeCollector().send()).isEqualTo(AnvilNode.DEV_ACCOUNT_1_ADDRESS);
    YieldScalesPool pool = YieldScalesPool.load(deployment.yieldPool(), web3j, readOnly, gas);
    assertThat(pool.oracle().send()).isEqualTo(AnvilNode.DEV_ACCOUNT_1_ADDRESS);
    assertThat(pool.synth().send()).isEqualTo(deployment.synth());

    Path file = dir.resolve("deployment.properties");
    deployment.writeTo(file);
    assertThat(ProtocolDeployment.readFrom(file)).isEqualTo(deployment);
  }

  @Test
  void deploysAgainOnTheSameChainWithOtherParameters() throws Exception {
    ProtocolDeployer deployer = new ProtocolDeployer(web3j, this.deployer);
    ProtocolDeployment first =
        deployer.deploy(DeploymentParameters.defaults(this.deployer.getAddress()));

    ProtocolDeployment second =
        deployer.deploy(
            DeploymentParameters.defaults(this.deployer.getAddress()).withMinConfirmations(1));

    assertThat(second.oracleAggregator()).isNotEqualTo(first.oracleAggregator());
    assertThat(second.deploymentBlock()).isGreaterThan(first.deploymentBlock());
    OracleAggregator aggregator =
        OracleAggregator.load(
            second.oracleAggregator(),
            web3j,
            new ReadonlyTransactionManager(web3j, this.deployer.getAddress()),
            new DefaultGasProvider());
    assertThat(aggregator.minConfirmations().send()).isEqualTo(BigInteger.ONE);
  }

  @Test
  void aggregatorRefusesToBeDeployedWithWiringThatDoesNotPointBackAtIt() throws Exception {
    ProtocolDeployment existing =
        new ProtocolDeployer(web3j, deployer)
            .deploy(DeploymentParameters.defaults(deployer.getAddress()));
    String constructorArgs =
        FunctionEncoder.encodeConstructor(
            List.of(
                new Address(existing.synth()),
                new Address(existing.feeVault()),
                new Address(existing.feePolicy()),
                new Address(existing.wrbtc()),
                new Address(deployer.getAddress()),
                new Uint256(6),
                new Uint256(BigInteger.TEN.pow(16))));

    EthCall creation =
        web3j
            .ethCall(
                Transaction.createEthCallTransaction(
                    deployer.getAddress(), null, OracleAggregator.BINARY + constructorArgs),
                DefaultBlockParameter.valueOf("latest"))
            .send();

    assertThat(creation.hasError()).isTrue();
    assertThat(Reverts.revertData(creation.getError()).flatMap(Reverts::customError))
        .contains(ContractError.WIRING_MISMATCH);
  }

  private String codeAt(String address, long block) throws Exception {
    return web3j
        .ethGetCode(address, DefaultBlockParameter.valueOf(BigInteger.valueOf(block)))
        .send()
        .getCode();
  }
}
