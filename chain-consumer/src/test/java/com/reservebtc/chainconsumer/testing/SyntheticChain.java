package com.reservebtc.chainconsumer.testing;

import com.reservebtc.schemas.Keys;
import com.reservebtc.schemas.Topic;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.BalanceDisputed;
import com.reservebtc.schemas.avro.BlockMarker;
import com.reservebtc.schemas.avro.BlockMarkerKind;
import com.reservebtc.schemas.avro.ChainLogRef;
import com.reservebtc.schemas.avro.EmergencyBurnEvent;
import com.reservebtc.schemas.avro.EmergencyBurnSource;
import com.reservebtc.schemas.avro.FeeVaultEvent;
import com.reservebtc.schemas.avro.FeeVaultEventKind;
import com.reservebtc.schemas.avro.Finality;
import com.reservebtc.schemas.avro.SyncedEvent;
import com.reservebtc.schemas.avro.Token;
import com.reservebtc.schemas.avro.TokenEvent;
import com.reservebtc.schemas.avro.TokenEventKind;
import com.reservebtc.schemas.avro.YieldPoolEvent;
import com.reservebtc.schemas.serde.AvroValueSerializer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A deterministic (seeded) stream of chain records as the indexer publishes them, for replay
 * benchmarks: per block a few logs of random users — syncs that mint and burn (each user's
 * newBalance consistent with their previous syncs), fee-vault deposits and spends, wrBTC transfers,
 * now and then an emergency burn and a dispute — with CONFIRMED and FINALIZED markers following the
 * blocks, and a share of logs retracted and re-published from another block (a reorg).
 */
public final class SyntheticChain {

  /** One published record: topic, key, Avro single-object bytes. */
  public record Published(String topic, String key, byte[] value) {
    public ProducerRecord<String, byte[]> toProducerRecord() {
      return new ProducerRecord<>(topic, key, value);
    }
  }

  private static final long CHAIN = 31337;
  private static final String AGGREGATOR = "0x" + "a1".repeat(20);
  private static final String FEE_VAULT = "0x" + "f1".repeat(20);
  private static final String WRBTC = "0x" + "c1".repeat(20);
  private static final String POOL = "0x" + "b1".repeat(20);
  private static final int LOGS_PER_BLOCK = 10;

  private final Random random;
  private final List<String> users = new ArrayList<>();
  private final long[] balances;
  private final List<Published> out = new ArrayList<>();
  private long block = 1_000;
  private int logIndex;
  private String blockHash;
  private int logsInBlock;

  /** Chain logs (not markers) published, retractions and re-publications included. */
  private long chainLogs;

  private SyntheticChain(long seed, int userCount) {
    this.random = new Random(seed);
    for (int i = 0; i < userCount; i++) {
      byte[] bytes = new byte[20];
      random.nextBytes(bytes);
      users.add("0x" + HexFormat.of().formatHex(bytes));
    }
    this.balances = new long[userCount];
    this.blockHash = hash();
  }

  /**
   * About {@code logs} chain records (retractions and re-publications included) and their block
   * markers, for {@code userCount} users.
   */
  public static List<Published> generate(long seed, int logs, int userCount) {
    SyntheticChain chain = new SyntheticChain(seed, userCount);
    while (chain.chainLogs < logs) {
      chain.nextLog();
    }
    chain.endBlock();
    return chain.out;
  }

  private void nextLog() {
    int u = random.nextInt(users.size());
    String user = users.get(u);
    int dice = random.nextInt(100);
    ChainLogRef log = log(AGGREGATOR);
    if (dice < 35) {
      long delta =
          balances[u] > 0 && random.nextInt(4) == 0
              ? -Math.min(balances[u], 1 + random.nextInt(50_000))
              : 1 + random.nextInt(100_000);
      balances[u] += delta;
      publish(
          Topics.CHAIN_SYNCED,
          user,
          SyncedEvent.newBuilder()
              .setLog(log)
              .setUser(user)
              .setNewBalanceSats(balances[u])
              .setDeltaSats(delta)
              .setFeeWei("1000000000000000")
              .setHeight(800_000 + block)
              .setTimestamp(log.getBlockTimestamp())
              .build());
    } else if (dice < 65) {
      boolean spend = random.nextInt(3) == 0;
      log.setContract(FEE_VAULT);
      publish(
          Topics.CHAIN_FEE_VAULT,
          user,
          FeeVaultEvent.newBuilder()
              .setLog(log)
              .setKind(spend ? FeeVaultEventKind.SPENT : FeeVaultEventKind.DEPOSITED)
              .setUser(user)
              .setAmountWei(spend ? "1000000000000000" : "50000000000000000")
              .setSpentBy(spend ? AGGREGATOR : null)
              .build());
    } else if (dice < 93) {
      String to = users.get(random.nextInt(users.size()));
      log.setContract(WRBTC);
      publish(
          Topics.CHAIN_TOKEN_TRANSFERS,
          user,
          TokenEvent.newBuilder()
              .setLog(log)
              .setToken(Token.WRBTC)
              .setKind(TokenEventKind.TRANSFER)
              .setUser(user)
              .setFrom(user)
              .setTo(to)
              .setAmount(Integer.toString(1 + random.nextInt(10_000)))
              .build());
    } else if (dice < 97) {
      publish(
          Topics.CHAIN_EMERGENCY_BURNS,
          user,
          EmergencyBurnEvent.newBuilder()
              .setLog(log)
              .setSource(EmergencyBurnSource.ORACLE_AGGREGATOR)
              .setUser(user)
              .setBurnedAmount(Long.toString(Math.max(1, balances[u])))
              .setReason("Insufficient fees")
              .build());
    } else {
      log.setContract(POOL);
      publish(
          Topics.CHAIN_YIELD_POOL,
          user,
          YieldPoolEvent.newBuilder()
              .setLog(log)
              .setPayload(
                  BalanceDisputed.newBuilder()
                      .setUser(user)
                      .setReportedBalance(Long.toString(balances[u] + 1))
                      .setOracleBalance(Long.toString(balances[u]))
                      .build())
              .build());
    }
    if (++logsInBlock >= LOGS_PER_BLOCK) {
      endBlock();
    }
  }

  private void publish(Topic<?> topic, String user, SpecificRecord value) {
    out.add(new Published(topic.name(), Keys.user(user), AvroValueSerializer.encode(value)));
    chainLogs++;
    // One log in fifty is orphaned by a reorg and mined again in the next block.
    if (random.nextInt(50) == 0) {
      ChainLogRef log = ChainLogRef.newBuilder(logOf(value)).setRetracted(true).build();
      out.add(
          new Published(
              topic.name(), Keys.user(user), AvroValueSerializer.encode(withLog(value, log))));
      ChainLogRef again =
          ChainLogRef.newBuilder(logOf(value))
              .setBlockNumber(block + 1)
              .setBlockHash(hash())
              .setRetracted(false)
              .build();
      out.add(
          new Published(
              topic.name(), Keys.user(user), AvroValueSerializer.encode(withLog(value, again))));
      chainLogs += 2;
    }
  }

  private void endBlock() {
    long confirmed = block - 2;
    long finalized = block - 64;
    marker(BlockMarkerKind.HEAD, block);
    if (confirmed > 0) {
      marker(BlockMarkerKind.CONFIRMED, confirmed);
    }
    if (finalized > 0 && block % 16 == 0) {
      marker(BlockMarkerKind.FINALIZED, finalized);
    }
    block++;
    blockHash = hash();
    logIndex = 0;
    logsInBlock = 0;
  }

  private void marker(BlockMarkerKind kind, long number) {
    out.add(
        new Published(
            Topics.CHAIN_BLOCKS.name(),
            Keys.chain(CHAIN),
            AvroValueSerializer.encode(
                BlockMarker.newBuilder()
                    .setChainId(CHAIN)
                    .setKind(kind)
                    .setBlockNumber(number)
                    .setBlockHash(hash())
                    .setParentHash(hash())
                    .setBlockTimestamp(1_760_000_000L + number)
                    .build())));
  }

  private ChainLogRef log(String contract) {
    return ChainLogRef.newBuilder()
        .setChainId(CHAIN)
        .setContract(contract)
        .setBlockNumber(block)
        .setBlockHash(blockHash)
        .setTxHash(hash())
        .setLogIndex(logIndex++)
        .setBlockTimestamp(1_760_000_000L + block)
        .setFinality(Finality.PENDING)
        .setRetracted(false)
        .build();
  }

  private String hash() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return "0x" + HexFormat.of().formatHex(bytes);
  }

  private static ChainLogRef logOf(SpecificRecord value) {
    return (ChainLogRef) value.get(value.getSchema().getField("log").pos());
  }

  private static SpecificRecord withLog(SpecificRecord value, ChainLogRef log) {
    SpecificRecord copy =
        (SpecificRecord)
            org.apache.avro.specific.SpecificData.get().deepCopy(value.getSchema(), value);
    copy.put(copy.getSchema().getField("log").pos(), log);
    return copy;
  }
}
