package com.reservebtc.yield.pool;

import static org.assertj.core.api.Assertions.assertThat;

import com.reservebtc.chainconsumer.testing.ChainInfrastructure;
import com.reservebtc.contracts.anvil.AnvilNode;
import com.reservebtc.contracts.generated.OracleAggregator;
import com.reservebtc.contracts.generated.YieldScalesPool;
import com.reservebtc.schemas.EventIds;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.ChainLogRef;
import com.reservebtc.schemas.avro.EmergencyBurnEvent;
import com.reservebtc.schemas.avro.EmergencyBurnSource;
import com.reservebtc.schemas.avro.Finality;
import com.reservebtc.schemas.avro.ParticipantJoined;
import com.reservebtc.schemas.avro.Token;
import com.reservebtc.schemas.avro.TokenEvent;
import com.reservebtc.schemas.avro.TokenEventKind;
import com.reservebtc.schemas.avro.YieldPoolEvent;
import com.reservebtc.schemas.serde.AvroValueSerializer;
import com.reservebtc.yield.registration.AnvilProtocol;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * The real chain (the protocol on Anvil, changed by the committee and, where a test plays the pool
 * oracle itself, by the pool oracle key) and the chain events the indexer would publish for it,
 * produced to the real broker by the test with increasing blocks and block times.
 */
final class PoolTestbed implements AutoCloseable {

  private static final String ZERO = "0x" + "00".repeat(20);

  private final KafkaProducer<String, SpecificRecord> producer =
      new KafkaProducer<>(
          Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ChainInfrastructure.bootstrapServers()),
          new StringSerializer(),
          new AvroValueSerializer());
  private final long t0 = System.currentTimeMillis() / 1000 - 3_600;
  private long block = 10;

  // ---- the chain ----

  OracleAggregator committee() {
    return OracleAggregator.load(
        AnvilProtocol.deployment().oracleAggregator(),
        AnvilProtocol.web3j(),
        new RawTransactionManager(
            AnvilProtocol.web3j(),
            Credentials.create(AnvilNode.DEV_ACCOUNT_0_PRIVATE_KEY),
            AnvilProtocol.deployment().chainId()),
        new DefaultGasProvider());
  }

  /** Prepays fees and syncs the user's rBTC-SYNTH balance to {@code sats} on chain. */
  void syncOnChain(String user, long sats) throws Exception {
    OracleAggregator aggregator = committee();
    if (aggregator.lastSats(user).send().signum() == 0) {
      aggregator
          .registerAndPrepay(user, BigInteger.ZERO, new byte[32], BigInteger.TEN.pow(17))
          .send();
    }
    TransactionReceipt synced = aggregator.sync(user, BigInteger.valueOf(sats), new byte[0]).send();
    assertThat(OracleAggregator.getSyncedEvents(synced)).hasSize(1);
  }

  void emergencyBurnOnChain(String user) throws Exception {
    TransactionReceipt burned = committee().executeEmergencyBurn(user).send();
    assertThat(OracleAggregator.getEmergencyBurnEvents(burned)).hasSize(1);
  }

  /** Joins the user as the pool oracle would, from the test itself. */
  void joinOnChainAsThePoolOracle(String user) throws Exception {
    YieldScalesPool pool =
        YieldScalesPool.load(
            AnvilProtocol.deployment().yieldPool(),
            AnvilProtocol.web3j(),
            new RawTransactionManager(
                AnvilProtocol.web3j(),
                Credentials.create(AnvilNode.DEV_ACCOUNT_3_PRIVATE_KEY),
                AnvilProtocol.deployment().chainId()),
            new DefaultGasProvider());
    assertThat(YieldScalesPool.getParticipantJoinedEvents(pool.joinAsBitcoinHolder(user).send()))
        .hasSize(1);
  }

  /** {@code participants(user).amount} at the latest block. */
  static BigInteger poolAmount(String user) throws Exception {
    return YieldScalesPool.load(
            AnvilProtocol.deployment().yieldPool(),
            AnvilProtocol.web3j(),
            new ReadonlyTransactionManager(AnvilProtocol.web3j(), user),
            new DefaultGasProvider())
        .participants(user)
        .send()
        .component3();
  }

  /** Transactions the pool oracle account has sent. */
  static long poolOracleNonce() throws Exception {
    return AnvilProtocol.web3j()
        .ethGetTransactionCount(AnvilNode.DEV_ACCOUNT_3_ADDRESS, DefaultBlockParameterName.LATEST)
        .send()
        .getTransactionCount()
        .longValueExact();
  }

  // ---- the events the indexer would publish ----

  void minted(String user, long sats) {
    send(Topics.CHAIN_TOKEN_TRANSFERS.name(), user, token(user, TokenEventKind.MINT, sats));
  }

  void burned(String user, long sats) {
    send(Topics.CHAIN_TOKEN_TRANSFERS.name(), user, token(user, TokenEventKind.BURN, sats));
  }

  void joined(String user, long sats) {
    send(
        Topics.CHAIN_YIELD_POOL.name(),
        user,
        YieldPoolEvent.newBuilder()
            .setLog(nextLog(AnvilProtocol.deployment().yieldPool()))
            .setPayload(
                ParticipantJoined.newBuilder()
                    .setUser(user)
                    .setParticipantType(0)
                    .setAmount(Long.toString(sats))
                    .build())
            .build());
  }

  /** The aggregator's EmergencyBurn and the token burn of the same transaction; the event id. */
  String aggregatorBurned(String user, long sats) {
    ChainLogRef log = nextLog(AnvilProtocol.deployment().oracleAggregator());
    send(
        Topics.CHAIN_EMERGENCY_BURNS.name(),
        user,
        EmergencyBurnEvent.newBuilder()
            .setLog(log)
            .setSource(EmergencyBurnSource.ORACLE_AGGREGATOR)
            .setUser(user)
            .setBurnedAmount(Long.toString(sats))
            .setReason("Insufficient fees")
            .build());
    send(Topics.CHAIN_TOKEN_TRANSFERS.name(), user, tokenAt(log, user, TokenEventKind.BURN, sats));
    return EventIds.of(log);
  }

  void poolBurned(String user, long sats) {
    send(
        Topics.CHAIN_EMERGENCY_BURNS.name(),
        user,
        EmergencyBurnEvent.newBuilder()
            .setLog(nextLog(AnvilProtocol.deployment().yieldPool()))
            .setSource(EmergencyBurnSource.YIELD_POOL)
            .setUser(user)
            .setBurnedAmount(Long.toString(sats))
            .setReason("Oracle emergency burn")
            .build());
  }

  private TokenEvent token(String user, TokenEventKind kind, long sats) {
    return tokenAt(nextLog(AnvilProtocol.deployment().synth()), user, kind, sats);
  }

  private static TokenEvent tokenAt(ChainLogRef log, String user, TokenEventKind kind, long sats) {
    boolean mint = kind == TokenEventKind.MINT;
    return TokenEvent.newBuilder()
        .setLog(
            ChainLogRef.newBuilder(log)
                .setContract(AnvilProtocol.deployment().synth())
                .setLogIndex(log.getLogIndex() + 1)
                .build())
        .setToken(Token.RBTC_SYNTH)
        .setKind(kind)
        .setUser(user)
        .setFrom(mint ? ZERO : user)
        .setTo(mint ? user : ZERO)
        .setAmount(Long.toString(sats))
        .build();
  }

  private ChainLogRef nextLog(String contract) {
    long number = block++;
    String hash = randomHex(32);
    return ChainLogRef.newBuilder()
        .setChainId(AnvilProtocol.deployment().chainId())
        .setContract(contract)
        .setBlockNumber(number)
        .setBlockHash(hash)
        .setTxHash(randomHex(32))
        .setLogIndex(0)
        .setBlockTimestamp(t0 + number)
        .setFinality(Finality.PENDING)
        .setRetracted(false)
        .build();
  }

  private void send(String topic, String key, SpecificRecord value) {
    try {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    } catch (Exception e) {
      throw new AssertionError("could not produce to " + topic, e);
    }
  }

  static String randomAddress() {
    return randomHex(20);
  }

  private static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(b);
    return "0x" + HexFormat.of().formatHex(b);
  }

  @Override
  public void close() {
    producer.close();
  }
}
