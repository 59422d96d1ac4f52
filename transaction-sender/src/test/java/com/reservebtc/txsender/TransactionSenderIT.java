package com.reservebtc.txsender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.reservebtc.contracts.anvil.AnvilNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * The sender against a real Anvil node whose mining and base fee the test controls: automatic
 * mining is off, blocks are mined by the test, and {@code anvil_setNextBlockBaseFeePerGas} raises
 * the base fee above what a pending transaction offers — what a fee spike does on a real chain.
 * Every test signs with a fresh funded key, so nonces of one test do not touch another's.
 */
class TransactionSenderIT {

  private static final BigInteger GWEI = BigInteger.TEN.pow(9);
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Call PAYMENT =
      new Call(AnvilNode.DEV_ACCOUNT_1_ADDRESS, BigInteger.ONE, "0x");

  private static AnvilNode anvil;
  private static HttpService http;
  private static Web3j web3j;
  private static RpcEndpoint endpoint;
  private static long chainId;

  private final Logger senderLog = (Logger) LoggerFactory.getLogger(TransactionSender.class);
  private final ListAppender<ILoggingEvent> logLines = new ListAppender<>();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<String> recorded = new CopyOnWriteArrayList<>();
  private final BeforeBroadcast recorder = tx -> recorded.add(tx.hash());

  @BeforeAll
  static void startNode() {
    anvil = AnvilNode.start();
    http = new HttpService(anvil.rpcUrl());
    web3j = Web3j.build(http);
    endpoint = RpcEndpoint.of(anvil.rpcUrl(), "rpc");
    chainId = anvil.chainId();
  }

  @AfterAll
  static void stopNode() {
    web3j.shutdown();
    anvil.close();
  }

  @BeforeEach
  void manualMiningAtOneGwei() throws IOException {
    logLines.start();
    senderLog.addAppender(logLines);
    rpc("evm_setAutomine", false);
    mineAtBaseFee(GWEI);
  }

  @AfterEach
  void automaticMiningAgain() throws IOException {
    senderLog.detachAppender(logLines);
    rpc("evm_setAutomine", true);
  }

  @Test
  void aTransactionStuckBelowTheBaseFeeIsReplacedAtTheSameNonceAndMinedOnce() throws Exception {
    Credentials key = fundedKey();
    TransactionSender sender = sender(key, settings(gwei(1000)).withReceiptConfirmations(2));
    SentTx first = sender.send(PAYMENT, recorder);
    assertThat(recorded).containsExactly(first.hash());
    assertThat(first.fees()).isInstanceOf(Fees.Dynamic.class);

    // The next block's base fee jumps to 100 gwei, far above the ~3 gwei the transaction offers.
    setNextBaseFee(gwei(100));

    CompletableFuture<TxOutcome> awaited = awaitInBackground(sender, first);
    await().atMost(WAIT).until(() -> recorded.size() >= 2);
    assertThat(receiptExists(first.hash())).isFalse();
    mineUntil(awaited, gwei(100));

    TxOutcome outcome = awaited.get();
    assertThat(outcome).isInstanceOf(TxOutcome.Mined.class);
    Receipt receipt = ((TxOutcome.Mined) outcome).receipt();
    assertThat(recorded).hasSizeGreaterThanOrEqualTo(2).startsWith(first.hash());
    assertThat(receipt.hash()).isIn(recorded.subList(1, recorded.size()));
    assertThat(receipt.success()).isTrue();
    // Exactly one version was mined: the account used exactly one nonce.
    assertThat(recorded.stream().filter(this::receiptExists).toList())
        .containsExactly(receipt.hash());
    assertThat(nonceOf(key)).isEqualTo(first.nonce() + 1);
    Fees.Dynamic replaced = (Fees.Dynamic) transactionFees(receipt.hash());
    assertThat(replaced.maxFeePerGas()).isGreaterThanOrEqualTo(gwei(100));
    assertThat(replaced.maxFeePerGas()).isLessThanOrEqualTo(gwei(1000));
    assertThat(meters.get("rbtc.txsender.replacements").counter().count())
        .isGreaterThanOrEqualTo(1);
    // Mined only two blocks deep.
    long head = web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
    assertThat(head - receipt.blockNumber() + 1).isGreaterThanOrEqualTo(2);
    assertThat(meters.get("rbtc.txsender.stuck").gauge().value()).isZero();
  }

  @Test
  void aCallerThatComesBackToAPendingTransactionReplacesItOnceItsRecordedTimeIsDue()
      throws Exception {
    Credentials key = fundedKey();
    TransactionSender sender =
        sender(key, settings(gwei(1000)).withReplaceAfter(Duration.ofMinutes(1)));
    SentTx first = sender.send(PAYMENT, recorder);
    setNextBaseFee(gwei(100));

    // Resumed as a restarted caller does, with the time it recorded the broadcast: not due yet.
    SentTx fresh = sender.resume(List.of(first.hash()), java.time.Instant.now()).orElseThrow();
    assertThat(sender.check(fresh, recorder)).isInstanceOf(TxOutcome.Pending.class);
    assertThat(recorded).containsExactly(first.hash());

    // Recorded long enough ago: one look replaces it at the same nonce, without waiting.
    SentTx old =
        sender
            .resume(List.of(first.hash()), java.time.Instant.now().minus(Duration.ofHours(1)))
            .orElseThrow();
    TxOutcome looked = sender.check(old, recorder);
    assertThat(looked).isInstanceOf(TxOutcome.Pending.class);
    assertThat(recorded).hasSize(2);
    assertThat(((TxOutcome.Pending) looked).hashes()).endsWith(recorded.get(1));

    CompletableFuture<TxOutcome> awaited =
        awaitInBackground(
            sender, sender.resume(((TxOutcome.Pending) looked).hashes()).orElseThrow());
    mineUntil(awaited, gwei(100));
    assertThat(awaited.get()).isInstanceOf(TxOutcome.Mined.class);
    assertThat(((TxOutcome.Mined) awaited.get()).receipt().hash()).isEqualTo(recorded.get(1));
    assertThat(nonceOf(key)).isEqualTo(first.nonce() + 1);
  }

  @Test
  void whenTheCapAllowsNoBumpTheStuckAlertFiresOnceAndClearsWhenTheTransactionIsMined()
      throws Exception {
    Credentials key = fundedKey();
    List<SenderListener.Stuck> alerts = new CopyOnWriteArrayList<>();
    List<String> resumed = new CopyOnWriteArrayList<>();
    SenderListener listener =
        new SenderListener() {
          @Override
          public void stuck(SenderListener.Stuck stuck) {
            alerts.add(stuck);
          }

          @Override
          public void resumed(String address, String detail) {
            resumed.add(detail);
          }
        };
    // The cap is what the first version offers: 2 x 1 gwei, no room for a 12.5 % bump.
    TransactionSender sender =
        new TransactionSender(
            web3j,
            endpoint,
            key,
            settings(gwei(2)).withTiming(Duration.ofMillis(50), Duration.ofSeconds(2)),
            meters,
            listener);
    SentTx tx = sender.send(PAYMENT, recorder);
    assertThat(tx.fees().maxPerGas()).isEqualTo(gwei(2));
    setNextBaseFee(gwei(10));

    TxOutcome outcome = sender.await(tx, recorder);

    assertThat(outcome).isEqualTo(new TxOutcome.Pending(List.of(tx.hash()), true));
    assertThat(recorded).containsExactly(tx.hash());
    assertThat(alerts).hasSize(1);
    SenderListener.Stuck alert = alerts.get(0);
    assertThat(alert.address()).isEqualTo(sender.address());
    assertThat(alert.nonce()).isEqualTo(tx.nonce());
    assertThat(alert.hashes()).containsExactly(tx.hash());
    assertThat(alert.maxFeePerGasCap()).isEqualTo(gwei(2));
    assertThat(alert.reason()).contains("cap");
    assertThat(sender.stuck()).contains(alert);
    assertThat(meters.get("rbtc.txsender.stuck").tag("address", sender.address()).gauge().value())
        .isEqualTo(1.0);
    assertThat(warnings()).filteredOn(l -> l.contains("stuck")).hasSize(1);

    // A new transaction cannot even be priced while the base fee is above the cap.
    assertThatThrownBy(() -> sender.send(PAYMENT, recorder))
        .isInstanceOfSatisfying(
            SenderException.class,
            e -> assertThat(e.kind()).isEqualTo(SenderException.Kind.FEE_CAP));
    assertThat(alerts).hasSize(1);

    // The base fee falls: the stuck transaction is mined and the alert clears.
    mineAtBaseFee(GWEI);
    assertThat(sender.await(tx, recorder)).isInstanceOf(TxOutcome.Mined.class);
    assertThat(resumed).hasSize(1);
    assertThat(sender.stuck()).isEmpty();
    assertThat(meters.get("rbtc.txsender.stuck").gauge().value()).isZero();
    assertThat(warnings()).filteredOn(l -> l.contains("progress again")).hasSize(1);
  }

  @Test
  void aSecondCallersTransactionGetsThroughOnceTheStuckOneIsReplaced() throws Exception {
    Credentials key = fundedKey();
    TransactionSender sender = sender(key, settings(gwei(1000)));
    SentTx stuck = sender.send(PAYMENT, recorder);
    setNextBaseFee(gwei(100));
    CompletableFuture<TxOutcome> first = awaitInBackground(sender, stuck);

    // Another caller sends meanwhile: the next nonce, queued behind the stuck one.
    List<String> secondRecorded = new CopyOnWriteArrayList<>();
    SentTx next = sender.send(PAYMENT, tx -> secondRecorded.add(tx.hash()));
    assertThat(next.nonce()).isEqualTo(stuck.nonce() + 1);
    CompletableFuture<TxOutcome> second =
        CompletableFuture.supplyAsync(
            () -> awaitQuietly(sender, next, tx -> secondRecorded.add(tx.hash())));

    // Nothing is mined until the stuck one is replaced (a block now would only evict it).
    await().atMost(WAIT).until(() -> recorded.size() >= 2);
    mineUntil(first.thenCombine(second, List::of), gwei(100));

    assertThat(first.get()).isInstanceOf(TxOutcome.Mined.class);
    assertThat(second.get()).isInstanceOf(TxOutcome.Mined.class);
    Receipt a = ((TxOutcome.Mined) first.get()).receipt();
    Receipt b = ((TxOutcome.Mined) second.get()).receipt();
    assertThat(a.hash()).isNotEqualTo(stuck.hash()).isIn(recorded);
    assertThat(b.hash()).isIn(secondRecorded);
    assertThat(b.blockNumber()).isGreaterThanOrEqualTo(a.blockNumber());
    assertThat(nonceOf(key)).isEqualTo(stuck.nonce() + 2);
  }

  @Test
  void receiptsAreReportedOnlyAtTheConfiguredDepth() throws Exception {
    TransactionSender sender =
        sender(fundedKey(), settings(gwei(1000)).withReceiptConfirmations(3));
    SentTx tx = sender.send(PAYMENT, recorder);
    assertThat(sender.outcome(List.of(tx.hash()))).isInstanceOf(TxOutcome.Pending.class);
    mineAtBaseFee(GWEI);
    assertThat(receiptExists(tx.hash())).isTrue();
    assertThat(sender.outcome(List.of(tx.hash()))).isInstanceOf(TxOutcome.Pending.class);
    mineAtBaseFee(GWEI);
    assertThat(sender.outcome(List.of(tx.hash()))).isInstanceOf(TxOutcome.Pending.class);
    mineAtBaseFee(GWEI);
    TxOutcome deep = sender.outcome(List.of(tx.hash()));
    assertThat(deep).isInstanceOf(TxOutcome.Mined.class);
    assertThat(((TxOutcome.Mined) deep).receipt().hash()).isEqualTo(tx.hash());
  }

  @Test
  void aNewSenderInstanceResolvesAndGoesOnReplacingATransactionFromItsRecordedHashes()
      throws Exception {
    Credentials key = fundedKey();
    SenderSettings quick =
        settings(gwei(1000)).withTiming(Duration.ofMillis(50), Duration.ofSeconds(1));
    TransactionSender crashed = sender(key, quick);
    SentTx tx = crashed.send(PAYMENT, recorder);
    setNextBaseFee(gwei(100));
    // Waits a second without a block: the first version is replaced, then the process "dies".
    TxOutcome before = crashed.await(tx, recorder);
    assertThat(before).isInstanceOf(TxOutcome.Pending.class);
    assertThat(recorded).hasSizeGreaterThanOrEqualTo(2);
    List<String> hashes = List.copyOf(recorded);

    // A new process: a new instance with its own meters.
    TransactionSender restarted =
        new TransactionSender(
            web3j,
            endpoint,
            key,
            quick.withReplaceAfter(Duration.ofMinutes(5)),
            new SimpleMeterRegistry(),
            SenderListener.NONE);
    assertThat(restarted.outcome(hashes)).isInstanceOf(TxOutcome.Pending.class);
    SentTx resumed = restarted.resume(hashes).orElseThrow();
    assertThat(resumed.nonce()).isEqualTo(tx.nonce());
    assertThat(resumed.hash()).isEqualTo(hashes.get(hashes.size() - 1));
    assertThat(resumed.call()).isEqualTo(PAYMENT);

    mineAtBaseFee(gwei(100));
    TxOutcome after = restarted.await(resumed, recorder);
    assertThat(after).isInstanceOf(TxOutcome.Mined.class);
    assertThat(((TxOutcome.Mined) after).receipt().hash()).isEqualTo(resumed.hash());
    assertThat(restarted.outcome(hashes)).isEqualTo(after);
    assertThat(restarted.resume(hashes)).isEmpty();
    // The restarted sender's next nonce comes from the node.
    SentTx next = restarted.send(PAYMENT, recorder);
    assertThat(next.nonce()).isEqualTo(tx.nonce() + 1);
  }

  @Test
  void droppedAndGappedTransactionsAreReportedDroppedAndTheFreedNonceIsReused() throws Exception {
    Credentials key = fundedKey();
    TransactionSender sender = sender(key, settings(gwei(1000)));
    SentTx first = sender.send(PAYMENT, recorder);
    rpc("anvil_dropTransaction", first.hash());
    assertThat(sender.outcome(List.of(first.hash())))
        .isInstanceOfSatisfying(
            TxOutcome.Dropped.class, d -> assertThat(d.reason()).contains("unknown to the node"));

    // A transaction one nonce ahead of anything the node holds waits for a nonce no one uses.
    String gapped = signedElsewhere(key, first.nonce() + 1);
    assertThat(sender.outcome(List.of(gapped)))
        .isInstanceOfSatisfying(
            TxOutcome.Dropped.class, d -> assertThat(d.reason()).contains("queued behind nonce"));

    // Reporting the drop re-read the nonce: the freed one is used again, and the gap closes.
    SentTx again = sender.send(PAYMENT, recorder);
    assertThat(again.nonce()).isEqualTo(first.nonce());
    mineAtBaseFee(GWEI);
    assertThat(sender.outcome(List.of(again.hash()))).isInstanceOf(TxOutcome.Mined.class);
    assertThat(sender.outcome(List.of(gapped))).isInstanceOf(TxOutcome.Mined.class);
  }

  @Test
  void refusedTransactionsAreFatalWithClearMessagesThatNeverContainTheKey() throws Exception {
    Credentials key = fundedKey();
    TransactionSender sender = sender(key, settings(gwei(1000)));
    // A call that reverts fails its gas estimate: nothing is signed or recorded.
    String reverting = "0x" + "de".repeat(20);
    rpc("anvil_setCode", reverting, "0x60006000fd");
    assertThatThrownBy(() -> sender.send(new Call(reverting, BigInteger.ZERO, "0x"), recorder))
        .isInstanceOfSatisfying(
            SenderException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(SenderException.Kind.REJECTED);
              assertThat(e.category()).isEqualTo(SenderException.Category.FATAL);
              assertThat(e.getMessage()).contains("would fail", reverting);
            });
    assertThat(recorded).isEmpty();

    // An account without ETH cannot pay for gas: the node refuses the broadcast.
    Credentials empty = Credentials.create(Keys.createEcKeyPair());
    TransactionSender broke = sender(empty, settings(gwei(1000)));
    assertThatThrownBy(() -> broke.send(PAYMENT, recorder))
        .isInstanceOfSatisfying(
            SenderException.class,
            e -> {
              assertThat(e.category()).isEqualTo(SenderException.Category.FATAL);
              assertThat(e.getMessage())
                  .contains("fund " + empty.getAddress())
                  .doesNotContain(
                      Numeric.toHexStringNoPrefix(empty.getEcKeyPair().getPrivateKey()));
            });
    TransactionSender wrongChain =
        new TransactionSender(
            web3j,
            endpoint,
            key,
            SenderSettings.defaults(chainId + 1),
            meters,
            SenderListener.NONE);
    assertThatThrownBy(() -> wrongChain.send(PAYMENT, recorder))
        .isInstanceOfSatisfying(
            SenderException.class,
            e -> assertThat(e.kind()).isEqualTo(SenderException.Kind.MISCONFIGURED));
    assertThat(sender.address()).isEqualTo(key.getAddress());
  }

  // ---- helpers ----

  private SenderSettings settings(BigInteger cap) {
    return SenderSettings.defaults(chainId)
        .withMaxFeePerGasWei(cap)
        .withReplaceAfter(Duration.ofMillis(300))
        .withTiming(Duration.ofMillis(50), WAIT);
  }

  private TransactionSender sender(Credentials key, SenderSettings settings) {
    return new TransactionSender(web3j, endpoint, key, settings, meters, SenderListener.NONE);
  }

  private CompletableFuture<TxOutcome> awaitInBackground(TransactionSender sender, SentTx tx) {
    return CompletableFuture.supplyAsync(() -> awaitQuietly(sender, tx, recorder));
  }

  private static TxOutcome awaitQuietly(TransactionSender sender, SentTx tx, BeforeBroadcast hook) {
    try {
      return sender.await(tx, hook);
    } catch (SenderException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Mines a block at {@code baseFee} every poll until {@code done} completes. */
  private static void mineUntil(CompletableFuture<?> done, BigInteger baseFee) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              mineAtBaseFee(baseFee);
              return done.isDone();
            });
    try {
      done.get(1, TimeUnit.SECONDS);
    } catch (InterruptedException | ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError("awaiting failed", e);
    }
  }

  private static void mineAtBaseFee(BigInteger baseFee) throws IOException {
    setNextBaseFee(baseFee);
    rpc("evm_mine");
  }

  /**
   * The base fee of the next block, without mining it: Anvil evicts a pending transaction that a
   * mined block's base fee excludes, whereas a real node keeps it waiting; this is the waiting.
   */
  private static void setNextBaseFee(BigInteger baseFee) throws IOException {
    rpc("anvil_setNextBlockBaseFeePerGas", Numeric.toHexStringWithPrefix(baseFee));
  }

  /** A payment of {@code key} at {@code nonce}, signed and broadcast without the sender. */
  private static String signedElsewhere(Credentials key, long nonce) throws IOException {
    byte[] signed =
        org.web3j.crypto.TransactionEncoder.signMessage(
            org.web3j.crypto.RawTransaction.createTransaction(
                chainId,
                BigInteger.valueOf(nonce),
                BigInteger.valueOf(21_000),
                PAYMENT.to(),
                PAYMENT.value(),
                "0x",
                GWEI,
                gwei(10)),
            key);
    var sent = web3j.ethSendRawTransaction(Numeric.toHexString(signed)).send();
    assertThat(sent.hasError()).as("broadcast of the gapped transaction").isFalse();
    return sent.getTransactionHash();
  }

  private Credentials fundedKey() throws Exception {
    Credentials key = Credentials.create(Keys.createEcKeyPair());
    rpc(
        "anvil_setBalance",
        key.getAddress(),
        Numeric.toHexStringWithPrefix(BigInteger.TEN.pow(20)));
    return key;
  }

  private boolean receiptExists(String hash) {
    try {
      return web3j.ethGetTransactionReceipt(hash).send().getTransactionReceipt().isPresent();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static long nonceOf(Credentials key) throws IOException {
    return web3j
        .ethGetTransactionCount(key.getAddress(), DefaultBlockParameterName.LATEST)
        .send()
        .getTransactionCount()
        .longValueExact();
  }

  private static Fees transactionFees(String hash) throws IOException {
    var tx = web3j.ethGetTransactionByHash(hash).send().getTransaction().orElseThrow();
    return new Fees.Dynamic(tx.getMaxFeePerGas(), tx.getMaxPriorityFeePerGas());
  }

  private List<String> warnings() {
    return logLines.list.stream()
        .filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  private static BigInteger gwei(long n) {
    return GWEI.multiply(BigInteger.valueOf(n));
  }

  private static void rpc(String method, Object... params) throws IOException {
    Response<?> response = new Request<>(method, List.of(params), http, VoidResponse.class).send();
    if (response.hasError()) {
      throw new IOException(method + " failed: " + response.getError().getMessage());
    }
  }
}
