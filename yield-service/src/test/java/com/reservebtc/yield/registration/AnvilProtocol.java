package com.reservebtc.yield.registration;

import com.reservebtc.contracts.anvil.AnvilNode;
import com.reservebtc.contracts.deploy.DeploymentParameters;
import com.reservebtc.contracts.deploy.ProtocolDeployer;
import com.reservebtc.contracts.deploy.ProtocolDeployment;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * Starts a real Anvil node on a free port and deploys the whole protocol with dev account 0 as
 * deployer and committee and dev account 3 as the yield pool's oracle (as the local stack does);
 * stops the node after the test class.
 */
public final class AnvilProtocol implements BeforeAllCallback, AfterAllCallback {

  private static AnvilNode anvil;
  private static Web3j web3j;
  private static ProtocolDeployment deployment;

  @Override
  public void beforeAll(ExtensionContext context) {
    anvil = AnvilNode.start();
    web3j = Web3j.build(new HttpService(anvil.rpcUrl()));
    Credentials committee = Credentials.create(AnvilNode.DEV_ACCOUNT_0_PRIVATE_KEY);
    deployment =
        new ProtocolDeployer(web3j, committee)
            .deploy(
                DeploymentParameters.defaults(committee.getAddress())
                    .withPoolOracle(AnvilNode.DEV_ACCOUNT_3_ADDRESS));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    try {
      if (web3j != null) {
        web3j.shutdown();
      }
    } finally {
      if (anvil != null) {
        anvil.close();
      }
    }
  }

  public static AnvilNode anvil() {
    return anvil;
  }

  public static Web3j web3j() {
    return web3j;
  }

  public static ProtocolDeployment deployment() {
    return deployment;
  }
}
