package com.reservebtc.indexer.decode;

import static com.reservebtc.indexer.decode.Logs.address;
import static com.reservebtc.indexer.decode.Logs.big;
import static com.reservebtc.indexer.decode.Logs.raw;
import static org.assertj.core.api.Assertions.assertThat;

import com.reservebtc.contracts.generated.FeeVault;
import com.reservebtc.contracts.generated.OracleAggregator;
import com.reservebtc.contracts.generated.RBTCSynth;
import com.reservebtc.contracts.generated.VaultWrBTC;
import com.reservebtc.contracts.generated.YieldScalesPool;
import com.reservebtc.indexer.chain.Address;
import com.reservebtc.indexer.chain.RawLog;
import com.reservebtc.indexer.deployment.ContractKind;
import com.reservebtc.indexer.deployment.Deployment;
import com.reservebtc.schemas.EventIds;
import com.reservebtc.schemas.Keys;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.BalanceDisputed;
import com.reservebtc.schemas.avro.ChainLogRef;
import com.reservebtc.schemas.avro.EmergencyBurnEvent;
import com.reservebtc.schemas.avro.EmergencyBurnSource;
import com.reservebtc.schemas.avro.FeeVaultEvent;
import com.reservebtc.schemas.avro.FeeVaultEventKind;
import com.reservebtc.schemas.avro.Finality;
import com.reservebtc.schemas.avro.ParticipantJoined;
import com.reservebtc.schemas.avro.QuarantinedLog;
import com.reservebtc.schemas.avro.ScalesBalanceUpdated;
import com.reservebtc.schemas.avro.SyncedEvent;
import com.reservebtc.schemas.avro.Token;
import com.reservebtc.schemas.avro.TokenEvent;
import com.reservebtc.schemas.avro.TokenEventKind;
import com.reservebtc.schemas.avro.YieldCalculated;
import com.reservebtc.schemas.avro.YieldClaimed;
import com.reservebtc.schemas.avro.YieldPoolEvent;
import com.reservebtc.schemas.serde.AvroValueDeserializer;
import com.reservebtc.schemas.serde.AvroValueSerializer;
import java.math.BigInteger;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Int64;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.abi.datatypes.generated.Uint8;

class LogDecoderTest {

  private static final long CHAIN = 31337;
  private static final long TIMESTAMP = 1_760_000_000L;
  private static final String AGGREGATOR = "0xA000000000000000000000000000000000000001";
  private static final String SYNTH = "0xa000000000000000000000000000000000000002";
  private static final String VAULT = "0xa000000000000000000000000000000000000003";
  private static final String WRBTC = "0xa000000000000000000000000000000000000004";
  private static final String POOL = "0xa000000000000000000000000000000000000005";
  private static final String USER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
  private static final String OTHER = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";
  private static final String ZERO = "0x0000000000000000000000000000000000000000";
  private static final BigInteger BIG_WEI = new BigInteger("123456789012345678901234567890");

  private final LogDecoder decoder =
      new LogDecoder(
          CHAIN,
          List.of(
              new Deployment(ContractKind.ORACLE_AGGREGATOR, Address.of(AGGREGATOR), 1),
              new Deployment(ContractKind.RBTC_SYNTH, Address.of(SYNTH), 1),
              new Deployment(ContractKind.FEE_VAULT, Address.of(VAULT), 1),
              new Deployment(ContractKind.VAULT_WRBTC, Address.of(WRBTC), 1),
              new Deployment(ContractKind.YIELD_POOL, Address.of(POOL), 1)));

  @Test
  void eventAbisMatchTheDeployedContractsSignatureHashes() {
    assertThat(EventEncoder.encode(OracleAggregator.SYNCED_EVENT))
        .isEqualTo("0xbd74477ace0e09075451becb82bdae1c9a11698b13f8488ab67f55722444eb84");
    assertThat(EventEncoder.encode(OracleAggregator.EMERGENCYBURN_EVENT))
        .isEqualTo("0x3b2cf963d043e36af901999981442fddfef7d47161e769ac70190990c3bf92e9");
  }

  @Test
  void syncedBecomesSyncedEventKeyedByUserWithFullLogReference() {
    RawLog log =
        raw(
            AGGREGATOR,
            OracleAggregator.SYNCED_EVENT,
            List.of(address(USER)),
            List.of(
                new Uint64(big(150_000)),
                new Int64(big(-50_000)),
                new Uint256(BIG_WEI),
                new Uint32(big(0)),
                new Uint64(big(1_759_999_999L))));

    ChainRecord record = decoder.decode(log, TIMESTAMP).orElseThrow();

    assertThat(record.topic()).isEqualTo(Topics.CHAIN_SYNCED);
    assertThat(record.key()).isEqualTo(Keys.user(USER)).isEqualTo(USER.toLowerCase());
    SyncedEvent synced = (SyncedEvent) record.value();
    assertThat(synced.getUser()).isEqualTo(USER.toLowerCase());
    assertThat(synced.getNewBalanceSats()).isEqualTo(150_000L);
    assertThat(synced.getDeltaSats()).isEqualTo(-50_000L);
    assertThat(synced.getFeeWei()).isEqualTo(BIG_WEI.toString());
    assertThat(synced.getHeight()).isZero();
    assertThat(synced.getTimestamp()).isEqualTo(1_759_999_999L);
    ChainLogRef ref = synced.getLog();
    assertThat(ref.getChainId()).isEqualTo(CHAIN);
    assertThat(ref.getContract()).isEqualTo(AGGREGATOR.toLowerCase());
    assertThat(ref.getBlockNumber()).isEqualTo(Logs.BLOCK);
    assertThat(ref.getBlockHash()).isEqualTo(Logs.BLOCK_HASH);
    assertThat(ref.getTxHash()).isEqualTo(Logs.TX_HASH.toLowerCase());
    assertThat(ref.getLogIndex()).isEqualTo(Logs.LOG_INDEX);
    assertThat(ref.getBlockTimestamp()).isEqualTo(TIMESTAMP);
    assertThat(ref.getFinality()).isEqualTo(Finality.PENDING);
    assertThat(ref.getRetracted()).isFalse();
    assertThat(EventIds.of(ref)).isEqualTo(CHAIN + ":" + Logs.TX_HASH.toLowerCase() + ":7");
  }

  @Test
  void aggregatorEmergencyBurnTravelsOnEmergencyBurnsWithItsReason() {
    RawLog log =
        raw(
            AGGREGATOR,
            OracleAggregator.EMERGENCYBURN_EVENT,
            List.of(address(USER)),
            List.of(new Uint256(big(250_000)), new Utf8String("Insufficient fees")));

    ChainRecord record = decoder.decode(log, TIMESTAMP).orElseThrow();

    assertThat(record.topic()).isEqualTo(Topics.CHAIN_EMERGENCY_BURNS);
    assertThat(record.key()).isEqualTo(USER.toLowerCase());
    EmergencyBurnEvent burn = (EmergencyBurnEvent) record.value();
    assertThat(burn.getSource()).isEqualTo(EmergencyBurnSource.ORACLE_AGGREGATOR);
    assertThat(burn.getUser()).isEqualTo(USER.toLowerCase());
    assertThat(burn.getBurnedAmount()).isEqualTo("250000");
    assertThat(burn.getReason()).isEqualTo("Insufficient fees");
  }

  @Test
  void synthTransferFromZeroIsAMintKeyedByTheRecipient() {
    TokenEvent mint = token(SYNTH, RBTCSynth.TRANSFER_EVENT, ZERO, USER, 75_000);

    assertThat(mint.getToken()).isEqualTo(Token.RBTC_SYNTH);
    assertThat(mint.getKind()).isEqualTo(TokenEventKind.MINT);
    assertThat(mint.getUser()).isEqualTo(USER.toLowerCase());
    assertThat(mint.getFrom()).isEqualTo(ZERO);
    assertThat(mint.getTo()).isEqualTo(USER.toLowerCase());
    assertThat(mint.getAmount()).isEqualTo("75000");
  }

  @Test
  void synthTransferToZeroIsABurnKeyedByTheHolder() {
    TokenEvent burn = token(SYNTH, RBTCSynth.TRANSFER_EVENT, USER, ZERO, 10_000);

    assertThat(burn.getKind()).isEqualTo(TokenEventKind.BURN);
    assertThat(burn.getUser()).isEqualTo(USER.toLowerCase());
  }

  @Test
  void otherTransfersAreTransfersKeyedByTheSender() {
    TokenEvent lock = token(SYNTH, RBTCSynth.TRANSFER_EVENT, USER, WRBTC, 5);
    TokenEvent wrapped = token(WRBTC, VaultWrBTC.TRANSFER_EVENT, USER, OTHER, 6);

    assertThat(lock.getKind()).isEqualTo(TokenEventKind.TRANSFER);
    assertThat(lock.getUser()).isEqualTo(USER.toLowerCase());
    assertThat(lock.getTo()).isEqualTo(WRBTC);
    assertThat(wrapped.getToken()).isEqualTo(Token.WRBTC);
    assertThat(wrapped.getKind()).isEqualTo(TokenEventKind.TRANSFER);
    assertThat(wrapped.getUser()).isEqualTo(USER.toLowerCase());
    assertThat(wrapped.getTo()).isEqualTo(OTHER);
  }

  @Test
  void wrbtcWrappedRedeemedAndSlashedAreTokenEventsOfTheUser() {
    for (var entry :
        List.of(
            new Object[] {VaultWrBTC.WRAPPED_EVENT, TokenEventKind.WRAPPED},
            new Object[] {VaultWrBTC.REDEEMED_EVENT, TokenEventKind.REDEEMED},
            new Object[] {VaultWrBTC.SLASHED_EVENT, TokenEventKind.SLASHED})) {
      RawLog log =
          raw(
              WRBTC,
              (org.web3j.abi.datatypes.Event) entry[0],
              List.of(address(USER)),
              List.of(new Uint256(big(900))));

      ChainRecord record = decoder.decode(log, TIMESTAMP).orElseThrow();

      assertThat(record.topic()).isEqualTo(Topics.CHAIN_TOKEN_TRANSFERS);
      assertThat(record.key()).isEqualTo(USER.toLowerCase());
      TokenEvent event = (TokenEvent) record.value();
      assertThat(event.getToken()).isEqualTo(Token.WRBTC);
      assertThat(event.getKind()).isEqualTo(entry[1]);
      assertThat(event.getAmount()).isEqualTo("900");
      assertThat(event.getFrom()).isNull();
      assertThat(event.getTo()).isNull();
    }
  }

  @Test
  void feeVaultEventsCarryKindAmountAndSpender() {
    FeeVaultEvent deposited =
        feeVault(raw(VAULT, FeeVault.DEPOSITED_EVENT, List.of(address(USER)), amount(BIG_WEI)));
    FeeVaultEvent spent =
        feeVault(
            raw(
                VAULT,
                FeeVault.SPENT_EVENT,
                List.of(address(USER), address(AGGREGATOR)),
                amount(big(1_500_000_000_000_000L))));
    FeeVaultEvent withdrawn =
        feeVault(raw(VAULT, FeeVault.WITHDRAWN_EVENT, List.of(address(USER)), amount(big(3))));

    assertThat(deposited.getKind()).isEqualTo(FeeVaultEventKind.DEPOSITED);
    assertThat(deposited.getAmountWei()).isEqualTo(BIG_WEI.toString());
    assertThat(deposited.getSpentBy()).isNull();
    assertThat(spent.getKind()).isEqualTo(FeeVaultEventKind.SPENT);
    assertThat(spent.getUser()).isEqualTo(USER.toLowerCase());
    assertThat(spent.getAmountWei()).isEqualTo("1500000000000000");
    assertThat(spent.getSpentBy()).isEqualTo(AGGREGATOR.toLowerCase());
    assertThat(withdrawn.getKind()).isEqualTo(FeeVaultEventKind.WITHDRAWN);
    assertThat(withdrawn.getAmountWei()).isEqualTo("3");
  }

  @Test
  void yieldPoolUserEventsAreKeyedByUserAndPoolWideEventsGlobally() {
    ChainRecord joined =
        decode(
            raw(
                POOL,
                YieldScalesPool.PARTICIPANTJOINED_EVENT,
                List.of(address(USER)),
                List.of(new Uint8(big(1)), new Uint256(big(5_000)))));
    ChainRecord calculated =
        decode(
            raw(
                POOL,
                YieldScalesPool.YIELDCALCULATED_EVENT,
                List.of(),
                List.of(new Uint256(big(10)), new Uint256(BIG_WEI), new Uint256(big(500)))));
    ChainRecord claimed =
        decode(
            raw(POOL, YieldScalesPool.YIELDCLAIMED_EVENT, List.of(address(USER)), amount(big(77))));
    ChainRecord scales =
        decode(
            raw(
                POOL,
                YieldScalesPool.SCALESBALANCEUPDATED_EVENT,
                List.of(),
                List.of(new Uint256(big(100)), new Uint256(big(95)), new Uint256(big(TIMESTAMP)))));
    ChainRecord disputed =
        decode(
            raw(
                POOL,
                YieldScalesPool.BALANCEDISPUTED_EVENT,
                List.of(address(USER)),
                List.of(new Uint256(big(1_000)), new Uint256(big(900)))));

    assertThat(List.of(joined, calculated, claimed, scales, disputed))
        .allSatisfy(r -> assertThat(r.topic()).isEqualTo(Topics.CHAIN_YIELD_POOL));
    assertThat(joined.key()).isEqualTo(USER.toLowerCase());
    assertThat(claimed.key()).isEqualTo(USER.toLowerCase());
    assertThat(disputed.key()).isEqualTo(USER.toLowerCase());
    assertThat(calculated.key()).isEqualTo(Keys.GLOBAL);
    assertThat(scales.key()).isEqualTo(Keys.GLOBAL);

    assertThat(payload(joined)).isEqualTo(new ParticipantJoined(USER.toLowerCase(), 1, "5000"));
    assertThat(payload(calculated)).isEqualTo(new YieldCalculated("10", BIG_WEI.toString(), "500"));
    assertThat(payload(claimed)).isEqualTo(new YieldClaimed(USER.toLowerCase(), "77"));
    assertThat(payload(scales))
        .isEqualTo(new ScalesBalanceUpdated("100", "95", Long.toString(TIMESTAMP)));
    assertThat(payload(disputed)).isEqualTo(new BalanceDisputed(USER.toLowerCase(), "1000", "900"));
  }

  @Test
  void poolEmergencyBurnTriggeredTravelsOnEmergencyBurnsWithSourceYieldPool() {
    ChainRecord record =
        decode(
            raw(
                POOL,
                YieldScalesPool.EMERGENCYBURNTRIGGERED_EVENT,
                List.of(address(USER)),
                List.of(new Uint256(big(4_000)), new Utf8String("Oracle emergency burn"))));

    assertThat(record.topic()).isEqualTo(Topics.CHAIN_EMERGENCY_BURNS);
    assertThat(record.key()).isEqualTo(USER.toLowerCase());
    EmergencyBurnEvent burn = (EmergencyBurnEvent) record.value();
    assertThat(burn.getSource()).isEqualTo(EmergencyBurnSource.YIELD_POOL);
    assertThat(burn.getBurnedAmount()).isEqualTo("4000");
    assertThat(burn.getReason()).isEqualTo("Oracle emergency burn");
  }

  @Test
  void ignoresEventsTheProductDoesNotConsumeAndUnconfiguredContracts() {
    RawLog approval =
        raw(
            WRBTC,
            VaultWrBTC.APPROVAL_EVENT,
            List.of(address(USER), address(OTHER)),
            amount(big(1)));
    RawLog feesCollected =
        raw(VAULT, FeeVault.FEESCOLLECTED_EVENT, List.of(address(USER)), amount(big(1)));
    RawLog foreignTransfer =
        raw(
            "0x00000000000000000000000000000000000000ff",
            RBTCSynth.TRANSFER_EVENT,
            List.of(address(ZERO), address(USER)),
            amount(big(1)));
    RawLog synthEventOnTheVault =
        raw(VAULT, RBTCSynth.TRANSFER_EVENT, List.of(address(ZERO), address(USER)), amount(big(1)));

    assertThat(decoder.decode(approval, TIMESTAMP)).isEmpty();
    assertThat(decoder.decode(feesCollected, TIMESTAMP)).isEmpty();
    assertThat(decoder.decode(foreignTransfer, TIMESTAMP)).isEmpty();
    assertThat(decoder.decode(synthEventOnTheVault, TIMESTAMP)).isEmpty();
  }

  @Test
  void aKnownEventWithMalformedDataIsQuarantinedWithTheRawLogAndTheReason() {
    RawLog truncated =
        new RawLog(
            Address.of(VAULT),
            List.of(
                EventEncoder.encode(FeeVault.DEPOSITED_EVENT),
                "0x000000000000000000000000" + USER.substring(2).toLowerCase()),
            "0x01",
            Logs.BLOCK,
            Logs.BLOCK_HASH,
            Logs.TX_HASH,
            0,
            -1);
    RawLog missingTopic =
        new RawLog(
            Address.of(VAULT),
            List.of(EventEncoder.encode(FeeVault.DEPOSITED_EVENT)),
            "0x" + "00".repeat(31) + "01",
            Logs.BLOCK,
            Logs.BLOCK_HASH,
            Logs.TX_HASH,
            0,
            -1);

    ChainRecord quarantined = decoder.decode(truncated, TIMESTAMP).orElseThrow();
    assertThat(quarantined.topic()).isEqualTo(Topics.CHAIN_QUARANTINE);
    assertThat(quarantined.key()).isEqualTo(Long.toString(CHAIN));
    QuarantinedLog q = (QuarantinedLog) quarantined.value();
    assertThat(q.getEvent()).isEqualTo("Deposited");
    assertThat(q.getData()).isEqualTo("0x01");
    assertThat(q.getTopics()).isEqualTo(truncated.topics());
    assertThat(q.getReason()).contains("Deposited");
    assertThat(q.getLog().getTxHash()).isEqualToIgnoringCase(Logs.TX_HASH);
    assertThat(q.getLog().getLogIndex()).isZero();
    assertThat(quarantined.retraction().topic()).isEqualTo(Topics.CHAIN_QUARANTINE);
    assertThat(quarantined.retraction().key()).isEqualTo(quarantined.key());
    assertThat(
            ((QuarantinedLog) decoder.decode(missingTopic, TIMESTAMP).orElseThrow().value())
                .getReason())
        .contains("topics");
  }

  @Test
  void filterCoversOnlyEventsOfConfiguredContractKinds() {
    LogDecoder vaultOnly =
        new LogDecoder(
            CHAIN, List.of(new Deployment(ContractKind.FEE_VAULT, Address.of(VAULT), 0)));

    assertThat(vaultOnly.topic0s())
        .containsExactlyInAnyOrder(
            EventEncoder.encode(FeeVault.DEPOSITED_EVENT),
            EventEncoder.encode(FeeVault.SPENT_EVENT),
            EventEncoder.encode(FeeVault.WITHDRAWN_EVENT));
    // rBTC-SYNTH and wrBTC share the ERC-20 Transfer signature.
    assertThat(decoder.topic0s()).hasSize(15);
  }

  @Test
  void retractionIsACopyMarkedRetractedThatSurvivesTheWireFormat() {
    ChainRecord record =
        decode(raw(VAULT, FeeVault.DEPOSITED_EVENT, List.of(address(USER)), amount(big(9))));

    ChainRecord retraction = record.retraction();

    assertThat(record.log().getRetracted()).isFalse();
    assertThat(retraction.log().getRetracted()).isTrue();
    assertThat(retraction.key()).isEqualTo(record.key());
    assertThat(retraction.topic()).isEqualTo(record.topic());
    assertThat(EventIds.of(retraction.log())).isEqualTo(EventIds.of(record.log()));
    byte[] wire = AvroValueSerializer.encode(retraction.value());
    assertThat(AvroValueDeserializer.decode(wire)).isEqualTo(retraction.value());
  }

  @Test
  void wireBytesAreTheValueWithItsCurrentFinalityEncodedOnce() {
    ChainRecord record =
        decode(raw(VAULT, FeeVault.DEPOSITED_EVENT, List.of(address(USER)), amount(big(9))));
    record.labelled(Finality.FINALIZED);

    byte[] finalized = record.wire();

    assertThat(record.wire()).isSameAs(finalized);
    assertThat(AvroValueDeserializer.decode(finalized)).isEqualTo(record.value());

    record.labelled(Finality.CONFIRMED);
    byte[] confirmed = record.wire();

    assertThat(confirmed).isNotSameAs(finalized);
    SpecificRecord decoded = AvroValueDeserializer.decode(confirmed);
    assertThat(decoded).isEqualTo(record.value());
    assertThat(((FeeVaultEvent) decoded).getLog().getFinality()).isEqualTo(Finality.CONFIRMED);
  }

  private TokenEvent token(
      String contract, org.web3j.abi.datatypes.Event event, String from, String to, long amount) {
    ChainRecord record =
        decode(raw(contract, event, List.of(address(from), address(to)), amount(big(amount))));
    assertThat(record.topic()).isEqualTo(Topics.CHAIN_TOKEN_TRANSFERS);
    TokenEvent token = (TokenEvent) record.value();
    assertThat(record.key()).isEqualTo(token.getUser());
    return token;
  }

  private FeeVaultEvent feeVault(RawLog log) {
    ChainRecord record = decode(log);
    assertThat(record.topic()).isEqualTo(Topics.CHAIN_FEE_VAULT);
    assertThat(record.key()).isEqualTo(USER.toLowerCase());
    return (FeeVaultEvent) record.value();
  }

  private ChainRecord decode(RawLog log) {
    return decoder.decode(log, TIMESTAMP).orElseThrow();
  }

  private static Object payload(ChainRecord record) {
    return ((YieldPoolEvent) record.value()).getPayload();
  }

  @SuppressWarnings("rawtypes")
  private static List<org.web3j.abi.datatypes.Type> amount(BigInteger value) {
    return List.of(new Uint256(value));
  }
}
