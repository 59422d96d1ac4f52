package com.reservebtc.yield.participants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.reservebtc.chainconsumer.Batch;
import com.reservebtc.chainconsumer.ChainChange;
import com.reservebtc.chainconsumer.Consumed;
import com.reservebtc.chainconsumer.testing.ChainInfrastructure;
import com.reservebtc.schemas.EventIds;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.ChainLogRef;
import com.reservebtc.schemas.avro.Finality;
import com.reservebtc.schemas.avro.Token;
import com.reservebtc.schemas.avro.TokenEvent;
import com.reservebtc.schemas.avro.TokenEventKind;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two batches of one chain applied by two transactions at once (two consumer threads, two replicas,
 * or a replayed dead letter next to the consumer), the later one started while the earlier is still
 * open: the second must wait and then refold over the first one's rows, so the tables come out as
 * if the batches had been applied one after the other.
 */
@ExtendWith(ChainInfrastructure.class)
@SpringBootTest(properties = {"rbtc.kafka.min-replication=1", "rbtc.kafka.min-insync-replicas=1"})
@DirtiesContext
class ConcurrentBatchesIT {

  private static final long T0 = 1_700_000_000L;
  private static final long YEAR = 31_536_000L;
  private static final long BTC = 100_000_000L;
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Autowired YieldProjection projection;
  @Autowired TransactionTemplate transactions;
  @Autowired JdbcClient jdbc;

  @DynamicPropertySource
  static void infrastructure(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", ChainInfrastructure::bootstrapServers);
    registry.add("spring.datasource.url", () -> ChainInfrastructure.jdbcUrl("yield"));
  }

  @Test
  void aBatchThatMeetsAnOpenBatchOfItsChainWaitsAndRefoldsOverItsRows() throws Exception {
    long chain = ThreadLocalRandom.current().nextLong(1_000_000, 2_000_000_000);
    String holder = randomAddress();
    String other = randomAddress();
    // The holder's batch: 100 BTC at block 1, half burned at block 2, 1 sat a year later at
    // block 4 (which settles the year at the rate in force before it).
    Batch holders =
        batch(
            token(chain, holder, TokenEventKind.MINT, 100 * BTC, 1, T0),
            token(chain, holder, TokenEventKind.BURN, 50 * BTC, 2, T0 + 10),
            token(chain, holder, TokenEventKind.MINT, 1, 4, T0 + YEAR + 10));
    // The other user's batch: 50 BTC at block 3, back at the peak before the holder's block 4.
    Batch others = batch(token(chain, other, TokenEventKind.MINT, 50 * BTC, 3, T0 + 20));

    CountDownLatch holdersApplied = new CountDownLatch(1);
    CountDownLatch commitHolders = new CountDownLatch(1);
    CompletableFuture<Void> first =
        CompletableFuture.runAsync(
            () ->
                transactions.executeWithoutResult(
                    status -> {
                      projection.apply(holders);
                      holdersApplied.countDown();
                      awaitRelease(commitHolders);
                    }));
    assertThat(holdersApplied.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Void> second =
        CompletableFuture.runAsync(
            () -> transactions.executeWithoutResult(status -> projection.apply(others)));
    // The second batch is either waiting for a lock of the open one, or (unserialized) done.
    await().atMost(WAIT).until(() -> second.isDone() || waitingForLocks() > 0);
    commitHolders.countDown();
    first.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    second.get(WAIT.toSeconds(), TimeUnit.SECONDS);

    // Block 2 settled 10 s of 100 BTC at 5 bps, Bronze: 1. Block 4 settles a year of 50 BTC at
    // 5 bps (supply back at its peak of 100 BTC since block 3), Gold: 3,750,000.
    assertThat(accrued(holder)).isEqualByComparingTo("3750001");
    assertThat(supplyAndPeak(chain, other)).containsExactly(100 * BTC, 100 * BTC);
  }

  private long waitingForLocks() {
    return jdbc.sql("select count(*) from pg_locks where not granted").query(Long.class).single();
  }

  private BigDecimal accrued(String user) {
    return jdbc.sql("select accrued_yield from yield_scales_participants where user_address = ?")
        .param(user)
        .query(BigDecimal.class)
        .single();
  }

  private List<Long> supplyAndPeak(long chain, String user) {
    return jdbc.sql(
            "select supply_after, peak_after from yield_ledger where chain_id = ? and user_address = ?")
        .params(chain, user)
        .query((rs, n) -> List.of(rs.getLong(1), rs.getLong(2)))
        .single();
  }

  private static void awaitRelease(CountDownLatch latch) {
    try {
      if (!latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never released the open batch");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A batch of chain events of the token topic, each applied for the first time. */
  private static Batch batch(TokenEvent... events) {
    List<Consumed> records =
        java.util.stream.IntStream.range(0, events.length)
            .mapToObj(
                i ->
                    new Consumed(
                        Topics.CHAIN_TOKEN_TRANSFERS.name(),
                        0,
                        i,
                        events[i].getUser(),
                        events[i],
                        0L))
            .toList();
    List<ChainChange> changes =
        records.stream()
            .map(
                r -> {
                  ChainLogRef log = ((TokenEvent) r.value()).getLog();
                  return new ChainChange(ChainChange.Kind.APPLY, r, log, EventIds.of(log), null);
                })
            .toList();
    return new Batch(records, changes, List.of(), Map.of(), false, Map::of);
  }

  private static TokenEvent token(
      long chain, String user, TokenEventKind kind, long sats, long block, long time) {
    boolean mint = kind == TokenEventKind.MINT;
    String zero = "0x" + "00".repeat(20);
    return TokenEvent.newBuilder()
        .setLog(
            ChainLogRef.newBuilder()
                .setChainId(chain)
                .setContract("0x" + "5e".repeat(20))
                .setBlockNumber(block)
                .setBlockHash(randomHex(32))
                .setTxHash(randomHex(32))
                .setLogIndex(0)
                .setBlockTimestamp(time)
                .setFinality(Finality.PENDING)
                .setRetracted(false)
                .build())
        .setToken(Token.RBTC_SYNTH)
        .setKind(kind)
        .setUser(user)
        .setFrom(mint ? zero : user)
        .setTo(mint ? user : zero)
        .setAmount(Long.toString(sats))
        .build();
  }

  private static String randomAddress() {
    return randomHex(20);
  }

  private static String randomHex(int bytes) {
    byte[] value = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(value);
    return "0x" + HexFormat.of().formatHex(value);
  }
}
