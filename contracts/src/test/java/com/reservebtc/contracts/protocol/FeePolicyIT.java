package com.reservebtc.contracts.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.reservebtc.contracts.generated.FeePolicy;
import java.math.BigInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FeePolicyIT {
  private TestChain chain;
  private FeePolicy feePolicy;

  @BeforeAll
  void deploy() {
    chain = TestChain.start();
    feePolicy = chain.feePolicy();
  }

  @AfterAll
  void stop() {
    if (chain != null) {
      chain.close();
    }
  }

  @ParameterizedTest(name = "delta {0} sats costs {1} wei")
  @CsvSource({
    "50000, 1500000000000000",
    "-10000, 1000000000000000",
    "900000, 10000000000000000",
    "900001, 10000010000000000",
    "0, 1000000000000000",
    "1, 1000010000000000"
  })
  void quotesPercentageOfUpwardDeltaPlusFixedFee(long deltaSats, String expectedWei)
      throws Exception {
    BigInteger fee =
        feePolicy.quoteFees(chain.committee.getAddress(), BigInteger.valueOf(deltaSats)).send();

    assertThat(fee).isEqualTo(new BigInteger(expectedWei));
  }

  @ParameterizedTest(name = "pctBps {0}, fixedWei {1}, weiPerSat {2}: +50,000 sats cost {3} wei")
  @CsvSource({
    // a fixed-fee-only policy, as the deployed FeePolicy allows
    "100, 1000000000000000, 0, 1000000000000000",
    "0, 1000000000000000, 1000000000000, 1000000000000000",
    // no fee at all
    "0, 0, 0, 0"
  })
  void deploysWithAnyParametersAsTheDeployedPolicyDoes(
      long pctBps, String fixedWei, String weiPerSat, String expectedWei) throws Exception {
    FeePolicy policy =
        FeePolicy.deploy(
                chain.web3j,
                chain.txManager(chain.committee),
                chain.gas(),
                BigInteger.valueOf(pctBps),
                new BigInteger(fixedWei),
                new BigInteger(weiPerSat))
            .send();

    assertThat(policy.quoteFees(chain.committee.getAddress(), BigInteger.valueOf(50_000)).send())
        .isEqualTo(new BigInteger(expectedWei));
    assertThat(policy.quoteFees(chain.committee.getAddress(), BigInteger.valueOf(-50_000)).send())
        .isEqualTo(new BigInteger(fixedWei));
  }

  @Test
  void carriesTheDeployedParameters() throws Exception {
    assertThat(feePolicy.pctBps().send()).isEqualTo(BigInteger.valueOf(100));
    assertThat(feePolicy.fixedWei().send()).isEqualTo(BigInteger.TEN.pow(15));
    assertThat(feePolicy.weiPerSat().send()).isEqualTo(BigInteger.TEN.pow(12));
  }
}
