package com.reservebtc.yield.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.reservebtc.chainconsumer.testing.ChainInfrastructure;
import com.reservebtc.contracts.anvil.AnvilNode;
import com.reservebtc.contracts.generated.OracleAggregator;
import com.reservebtc.contracts.generated.YieldScalesPool;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.ChainLogRef;
import com.reservebtc.schemas.avro.Finality;
import com.reservebtc.schemas.avro.Token;
import com.reservebtc.schemas.avro.TokenEvent;
import com.reservebtc.schemas.avro.TokenEventKind;
import com.reservebtc.schemas.serde.AvroValueSerializer;
import java.math.BigInteger;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * Automatic registration against a real chain: a user who holds rBTC-SYNTH on chain is joined to
 * the YieldScalesPool by the service; a user the chain has no balance for fails with the contract's
 * revert and is not retried.
 */
@ExtendWith({ChainInfrastructure.class, AnvilProtocol.class})
@SpringBootTest(
    properties = {
      "rbtc.yield.registration-interval=200ms",
      "rbtc.kafka.min-replication=1",
      "rbtc.kafka.min-insync-replicas=1",
      "rbtc.outbox.poll-interval=500ms"
    })
@DirtiesContext
class PoolRegistrationIT {

  private static final Duration WAIT = Duration.ofSeconds(45);
  private static KafkaProducer<String, SpecificRecord> producer;

  @Autowired JdbcClient jdbc;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", ChainInfrastructure::bootstrapServers);
    registry.add("spring.datasource.url", () -> ChainInfrastructure.jdbcUrl("yield"));
    registry.add("rbtc.chain.rpc-url", () -> AnvilProtocol.anvil().rpcUrl());
    registry.add("rbtc.chain.chain-id", () -> AnvilProtocol.deployment().chainId());
    registry.add("rbtc.contracts.yield-pool", () -> AnvilProtocol.deployment().yieldPool());
    registry.add("rbtc.yield.pool-oracle-key", () -> AnvilNode.DEV_ACCOUNT_3_PRIVATE_KEY);
  }

  @BeforeAll
  static void producer() {
    producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ChainInfrastructure.bootstrapServers()),
            new StringSerializer(),
            new AvroValueSerializer());
  }

  @AfterAll
  static void closeProducer() {
    producer.close();
  }

  @Test
  void joinsANewlyEligibleHolderToThePoolOnChain() throws Exception {
    String user = randomAddress();
    mintOnChain(user, 50_000);

    send(user, mint(user, 50_000));
    await().atMost(WAIT).until(() -> "SUBMITTED".equals(status(user)));

    String txHash =
        jdbc.sql("select tx_hash from pool_registrations where user_address = ?")
            .param(user)
            .query(String.class)
            .single();
    TransactionReceipt receipt =
        AnvilProtocol.web3j()
            .ethGetTransactionReceipt(txHash)
            .send()
            .getTransactionReceipt()
            .orElseThrow();
    List<YieldScalesPool.ParticipantJoinedEventResponse> joined =
        YieldScalesPool.getParticipantJoinedEvents(receipt);
    assertThat(joined).hasSize(1);
    assertThat(joined.get(0).user).isEqualToIgnoringCase(user);
    assertThat(joined.get(0).participantType).isEqualTo(BigInteger.ZERO);
    assertThat(joined.get(0).amount).isEqualTo(BigInteger.valueOf(50_000));
    assertThat(operations(user)).contains("REGISTRATION_QUEUED", "REGISTRATION_SUBMITTED");
  }

  @Test
  void aRevertedRegistrationFailsWithoutRetrying() {
    // Eligible according to the (here fabricated) token event, but without rBTC on chain: the
    // pool reverts with ZeroValue.
    String user = randomAddress();
    send(user, mint(user, 1_000));
    await().atMost(WAIT).until(() -> "FAILED".equals(status(user)));
    Map<String, Object> row =
        jdbc.sql(
                """
                select r.attempts, r.error, p.registered_on_chain
                from pool_registrations r
                join yield_scales_participants p on p.user_address = r.user_address
                where r.user_address = ?
                """)
            .param(user)
            .query()
            .singleRow();
    assertThat(row).containsEntry("attempts", 1).containsEntry("registered_on_chain", false);
    assertThat((String) row.get("error")).isNotBlank();
  }

  private static void mintOnChain(String user, long sats) throws Exception {
    Credentials committee = Credentials.create(AnvilNode.DEV_ACCOUNT_0_PRIVATE_KEY);
    OracleAggregator aggregator =
        OracleAggregator.load(
            AnvilProtocol.deployment().oracleAggregator(),
            AnvilProtocol.web3j(),
            new RawTransactionManager(
                AnvilProtocol.web3j(), committee, AnvilProtocol.deployment().chainId()),
            new DefaultGasProvider());
    aggregator
        .registerAndPrepay(user, BigInteger.ZERO, new byte[32], BigInteger.TEN.pow(17))
        .send();
    TransactionReceipt synced = aggregator.sync(user, BigInteger.valueOf(sats), new byte[0]).send();
    assertThat(OracleAggregator.getSyncedEvents(synced)).hasSize(1);
  }

  private static TokenEvent mint(String user, long sats) {
    byte[] hash = new byte[32];
    ThreadLocalRandom.current().nextBytes(hash);
    return TokenEvent.newBuilder()
        .setLog(
            ChainLogRef.newBuilder()
                .setChainId(AnvilProtocol.deployment().chainId())
                .setContract(AnvilProtocol.deployment().synth())
                .setBlockNumber(10)
                .setBlockHash("0x" + HexFormat.of().formatHex(hash))
                .setTxHash("0x" + HexFormat.of().formatHex(hash))
                .setLogIndex(0)
                .setBlockTimestamp(System.currentTimeMillis() / 1000)
                .setFinality(Finality.PENDING)
                .setRetracted(false)
                .build())
        .setToken(Token.RBTC_SYNTH)
        .setKind(TokenEventKind.MINT)
        .setUser(user)
        .setFrom("0x" + "00".repeat(20))
        .setTo(user)
        .setAmount(Long.toString(sats))
        .build();
  }

  private static void send(String user, TokenEvent event) {
    try {
      producer.send(new ProducerRecord<>(Topics.CHAIN_TOKEN_TRANSFERS.name(), user, event)).get();
    } catch (Exception e) {
      throw new AssertionError("could not produce", e);
    }
  }

  private String status(String user) {
    return jdbc.sql(
            """
            select case when p.registered_on_chain then 'REGISTERED'
                        else coalesce(r.status, 'OFF_CHAIN') end
            from yield_scales_participants p
            left join pool_registrations r on r.user_address = p.user_address
            where p.user_address = ?
            """)
        .param(user)
        .query(String.class)
        .optional()
        .orElse(null);
  }

  private List<String> operations(String user) {
    return jdbc.sql("select operation from yield_operations_log where user_address = ? order by id")
        .param(user)
        .query(String.class)
        .list();
  }

  private static String randomAddress() {
    byte[] bytes = new byte[20];
    ThreadLocalRandom.current().nextBytes(bytes);
    return "0x" + HexFormat.of().formatHex(bytes);
  }
}
