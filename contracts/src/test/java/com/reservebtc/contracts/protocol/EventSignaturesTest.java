package com.reservebtc.contracts.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.reservebtc.contracts.generated.FeeVault;
import com.reservebtc.contracts.generated.OracleAggregator;
import com.reservebtc.contracts.generated.RBTCSynth;
import com.reservebtc.contracts.generated.VaultWrBTC;
import org.junit.jupiter.api.Test;
import org.web3j.abi.EventEncoder;

/** The generated wrappers must produce the topic hashes of the deployed contracts' logs. */
class EventSignaturesTest {

  @Test
  void syncedTopicMatchesTheDeployedContract() {
    assertThat(EventEncoder.encode(OracleAggregator.SYNCED_EVENT))
        .isEqualTo("0xbd74477ace0e09075451becb82bdae1c9a11698b13f8488ab67f55722444eb84");
  }

  @Test
  void emergencyBurnTopicMatchesTheDeployedContract() {
    assertThat(EventEncoder.encode(OracleAggregator.EMERGENCYBURN_EVENT))
        .isEqualTo("0x3b2cf963d043e36af901999981442fddfef7d47161e769ac70190990c3bf92e9");
  }

  @Test
  void tokenTransfersUseTheStandardErc20Topic() {
    String erc20Transfer = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";

    assertThat(EventEncoder.encode(RBTCSynth.TRANSFER_EVENT)).isEqualTo(erc20Transfer);
    assertThat(EventEncoder.encode(VaultWrBTC.TRANSFER_EVENT)).isEqualTo(erc20Transfer);
  }

  @Test
  void feeVaultTopicsFollowTheSpecSignatures() {
    assertThat(EventEncoder.encode(FeeVault.SPENT_EVENT))
        .isEqualTo(EventEncoder.buildEventSignature("Spent(address,uint256,address)"));
    assertThat(FeeVault.SPENT_EVENT.getIndexedParameters()).hasSize(2);
    assertThat(OracleAggregator.SYNCED_EVENT.getIndexedParameters()).hasSize(1);
    assertThat(OracleAggregator.SYNCED_EVENT.getNonIndexedParameters()).hasSize(5);
  }
}
