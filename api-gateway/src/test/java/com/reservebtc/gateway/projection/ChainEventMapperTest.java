package com.reservebtc.gateway.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.reservebtc.gateway.TestRecords;
import com.reservebtc.gateway.api.TxFinality;
import com.reservebtc.gateway.api.TxType;
import com.reservebtc.schemas.avro.ChainLogRef;
import com.reservebtc.schemas.avro.EmergencyBurnEvent;
import com.reservebtc.schemas.avro.EmergencyBurnSource;
import com.reservebtc.schemas.avro.FeeVaultEvent;
import com.reservebtc.schemas.avro.FeeVaultEventKind;
import com.reservebtc.schemas.avro.Finality;
import com.reservebtc.schemas.avro.Token;
import com.reservebtc.schemas.avro.TokenEvent;
import com.reservebtc.schemas.avro.TokenEventKind;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class ChainEventMapperTest {

  private static final String USER = "0x" + "c3".repeat(20);
  private static final String OTHER = "0x" + "d4".repeat(20);

  private static ChainLogRef log() {
    return TestRecords.log(31337, TestRecords.AGGREGATOR, 42, 0, TestRecords.txHash(7), 3, false);
  }

  @Test
  void mapsASyncedIncreaseToAListedMint() {
    ChainLog mapped =
        ChainEventMapper.synced(
            TestRecords.synced(
                log(),
                USER.toUpperCase().replace("0X", "0x"),
                150_000,
                50_000,
                "1500000000000000"));
    assertThat(mapped.retracted()).isFalse();
    assertThat(mapped.row().txType()).isEqualTo(TxType.MINT);
    assertThat(mapped.row().userAddress()).isEqualTo(USER);
    assertThat(mapped.row().amount()).isEqualTo(BigInteger.valueOf(50_000));
    assertThat(mapped.row().newBalanceSats()).isEqualTo(150_000L);
    assertThat(mapped.row().feeWei()).isEqualTo(new BigInteger("1500000000000000"));
    assertThat(mapped.row().listed()).isTrue();
    assertThat(mapped.row().finality()).isEqualTo(TxFinality.PENDING);
    assertThat(mapped.applyId())
        .isEqualTo("31337:" + TestRecords.txHash(7) + ":3@" + TestRecords.blockHash(31337, 42, 0));
    assertThat(mapped.retractId()).isEqualTo(mapped.applyId() + ":retracted");
  }

  @Test
  void mapsASyncedDecreaseToABurnWithNegativeDelta() {
    ChainLog mapped =
        ChainEventMapper.synced(
            TestRecords.synced(log(), USER, 90_000, -10_000, "1000000000000000"));
    assertThat(mapped.row().txType()).isEqualTo(TxType.BURN);
    assertThat(mapped.row().amount()).isEqualTo(BigInteger.valueOf(10_000));
    assertThat(mapped.row().delta()).isEqualTo(BigInteger.valueOf(-10_000));
  }

  @Test
  void keepsTheSyncsOwnSynthTransferOutOfTheList() {
    ChainLog mapped = ChainEventMapper.token(TestRecords.synthMint(log(), USER, 5));
    assertThat(mapped.row().txType()).isEqualTo(TxType.SYNTH_MINT);
    assertThat(mapped.row().listed()).isFalse();
  }

  @Test
  void storesAWrbtcTransferFromTheSendersSideWhicheverSideItIsKeyedBy() {
    TokenEvent received =
        TokenEvent.newBuilder()
            .setLog(log())
            .setToken(Token.WRBTC)
            .setKind(TokenEventKind.TRANSFER)
            .setUser(OTHER)
            .setFrom(USER)
            .setTo(OTHER)
            .setAmount("25")
            .build();
    ChainLog mapped = ChainEventMapper.token(received);
    assertThat(mapped.row().userAddress()).isEqualTo(USER);
    assertThat(mapped.row().counterparty()).isEqualTo(OTHER);
    assertThat(mapped.row().delta()).isEqualTo(BigInteger.valueOf(-25));
    assertThat(mapped.row().listed()).isTrue();
  }

  @Test
  void listsThePoolsEmergencyBurnButNotTheAggregators() {
    EmergencyBurnEvent.Builder burn =
        EmergencyBurnEvent.newBuilder()
            .setLog(log())
            .setUser(USER)
            .setBurnedAmount("1000")
            .setReason("Insufficient fees");
    ChainLog aggregator =
        ChainEventMapper.emergencyBurn(
            burn.setSource(EmergencyBurnSource.ORACLE_AGGREGATOR).build());
    ChainLog pool =
        ChainEventMapper.emergencyBurn(burn.setSource(EmergencyBurnSource.YIELD_POOL).build());
    assertThat(aggregator.row().emergencyBurn()).isTrue();
    assertThat(aggregator.row().listed()).isFalse();
    assertThat(pool.row().listed()).isTrue();
    assertThat(pool.row().eventName()).isEqualTo("EmergencyBurnTriggered");
  }

  @Test
  void carriesFinalityAndRetraction() {
    ChainLogRef log = log();
    log.setFinality(Finality.FINALIZED);
    log.setRetracted(true);
    ChainLog mapped =
        ChainEventMapper.feeVault(
            FeeVaultEvent.newBuilder()
                .setLog(log)
                .setKind(FeeVaultEventKind.SPENT)
                .setUser(USER)
                .setAmountWei("1000000000000000")
                .setSpentBy(TestRecords.AGGREGATOR)
                .build());
    assertThat(mapped.retracted()).isTrue();
    assertThat(mapped.row().finality()).isEqualTo(TxFinality.FINALIZED);
    assertThat(mapped.row().feeWei()).isEqualTo(new BigInteger("1000000000000000"));
    assertThat(mapped.row().listed()).isFalse();
  }

  @Test
  void rejectsRecordsTheReadModelCannotTrust() {
    assertThatThrownBy(
            () -> ChainEventMapper.synced(TestRecords.synced(log(), "0x1234", 1, 1, "0")))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessageContaining("user");
    assertThatThrownBy(() -> ChainEventMapper.synced(TestRecords.synced(log(), USER, 1, 1, "-5")))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessageContaining("feeWei");
    assertThatThrownBy(() -> ChainEventMapper.synced(TestRecords.synced(log(), USER, 1, 1, "1e18")))
        .isInstanceOf(InvalidRecordException.class);
    assertThatThrownBy(() -> ChainEventMapper.synced(TestRecords.synced(log(), USER, 1, 0, "0")))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessageContaining("delta 0");
    ChainLogRef badHash = log();
    badHash.setTxHash("0x1234");
    assertThatThrownBy(() -> ChainEventMapper.synced(TestRecords.synced(badHash, USER, 1, 1, "0")))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessageContaining("txHash");
  }
}
