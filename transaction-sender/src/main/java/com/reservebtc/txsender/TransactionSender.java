package com.reservebtc.txsender;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthFeeHistory;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Sends every transaction of one key. Use one instance per key and process; nothing else may sign
 * with the key.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li><b>Fees.</b> EIP-1559 (type-2) transactions: the node's suggested priority fee ({@code
 *       eth_maxPriorityFeePerGas}, else the median reward of {@code eth_feeHistory}) and a max fee
 *       of {@code multiplier × baseFee + priority}, where the base fee is the next block's ({@code
 *       eth_feeHistory}, else the latest block's). No version of any transaction pays more than the
 *       configured cap per gas; when the base fee is above the cap nothing is signed ({@link
 *       SenderException.Kind#FEE_CAP}). Only a node whose latest block has no base fee gets a
 *       legacy transaction priced at {@code eth_gasPrice} (capped).
 *   <li><b>Nonces.</b> Assigned one at a time under a lock from a local counter, initialised from
 *       the node's pending transaction count and re-read after a nonce refusal, an unknown
 *       broadcast outcome, a dropped transaction, or {@link #resyncNonce()}.
 *   <li><b>Record before broadcast.</b> Every version (the first and each replacement) is signed
 *       locally and handed to {@link BeforeBroadcast} with its hash, nonce and fees before the node
 *       sees it.
 *   <li><b>Receipts.</b> {@link TxOutcome.Mined} only once the receipt's block is the configured
 *       confirmations deep (its own block counting one), re-read at that depth so a receipt
 *       orphaned meanwhile is not reported. Every version of a nonce is considered.
 *   <li><b>Replacement.</b> While {@link #await} waits, a version pending longer than {@code
 *       replace-after} is replaced at the same nonce with both fee fields raised by at least the
 *       bump (never above the cap), reported to {@link BeforeBroadcast} first.
 *   <li><b>An alert instead of silence.</b> When a replacement is due and the cap allows no bump,
 *       or a new transaction is refused because the base fee is above the cap, the key is stuck:
 *       the {@code rbtc.txsender.stuck} gauge is 1, {@link SenderListener#stuck} is called and one
 *       WARN line is logged — once per change, with the matching {@link SenderListener#resumed}.
 * </ul>
 *
 * <p>Not guaranteed: that a transaction is mined. While the cap allows a bump, a stuck version is
 * replaced and the transactions queued behind it (later nonces, e.g. other users' syncs) follow
 * once it is mined. When the cap allows no bump, the stuck transaction and every later one of the
 * key wait until the base fee falls or an operator raises the cap; the sender keeps reporting it as
 * stuck meanwhile. Does not retry a send by itself: callers decide. Does not persist anything:
 * after a restart a caller resolves its recorded hashes with {@link #outcome} or continues
 * replacing with {@link #resume}. Messages and logs name the node only as scheme, host and port,
 * and never contain the key.
 */
public final class TransactionSender {

  private static final Logger log = LoggerFactory.getLogger(TransactionSender.class);
  private static final int FEE_HISTORY_BLOCKS = 10;

  private final Web3j web3j;
  private final RpcEndpoint endpoint;
  private final Credentials key;
  private final String from;
  private final SenderSettings settings;
  private final FeeRule fees;
  private final SenderListener listener;
  private final SenderMetrics metrics;
  private final Clock clock;
  private final Object nonceLock = new Object();
  private final Object stuckLock = new Object();
  private BigInteger nextNonce;
  private volatile boolean chainChecked;
  private volatile SenderListener.Stuck stuck;

  /**
   * @param web3j client of {@code endpoint}; shared, not closed by the sender
   * @param endpoint the node, for redacted messages
   * @param meters where the {@code rbtc.txsender.*} meters go (one sender per key and registry);
   *     {@code null} keeps them private
   * @param listener told when the cap stops and resumes progress; {@code null} for none
   */
  public TransactionSender(
      Web3j web3j,
      RpcEndpoint endpoint,
      Credentials key,
      SenderSettings settings,
      MeterRegistry meters,
      SenderListener listener) {
    this(web3j, endpoint, key, settings, meters, listener, Clock.systemUTC());
  }

  TransactionSender(
      Web3j web3j,
      RpcEndpoint endpoint,
      Credentials key,
      SenderSettings settings,
      MeterRegistry meters,
      SenderListener listener,
      Clock clock) {
    this.web3j = Objects.requireNonNull(web3j, "web3j");
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.key = Objects.requireNonNull(key, "key");
    this.from = key.getAddress().toLowerCase(Locale.ROOT);
    this.settings = Objects.requireNonNull(settings, "settings");
    this.fees = new FeeRule(settings);
    this.listener = listener == null ? SenderListener.NONE : listener;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.metrics =
        new SenderMetrics(
            meters == null ? new SimpleMeterRegistry() : meters, from, () -> stuck != null);
  }

  /** The key's address, lower case. */
  public String address() {
    return from;
  }

  /** What stops the key now, if the cap does. */
  public Optional<SenderListener.Stuck> stuck() {
    return Optional.ofNullable(stuck);
  }

  /**
   * Estimates gas, prices, signs with the next nonce, hands the transaction to {@code
   * beforeBroadcast}, then broadcasts it. Does not wait for it: see {@link #await}.
   *
   * @throws SenderException {@code REJECTED} if the node refused it (a failing gas estimate:
   *     nothing signed; or a refused broadcast), {@code FEE_CAP} if the base fee is above the cap
   *     (nothing signed), {@code NONCE} if refused for its nonce, {@code UNKNOWN_OUTCOME} if the
   *     broadcast may or may not have arrived, {@code UNAVAILABLE} if the node could not be asked,
   *     {@code MISCONFIGURED} if the node is on another chain
   */
  public SentTx send(Call call, BeforeBroadcast beforeBroadcast) throws SenderException {
    Objects.requireNonNull(call, "call");
    Objects.requireNonNull(beforeBroadcast, "beforeBroadcast");
    long started = System.nanoTime();
    synchronized (nonceLock) {
      checkChain();
      BigInteger gasLimit = estimateGas(call);
      FeeRule.NodeFees node = nodeFees();
      Optional<Fees> priced = fees.initial(node);
      if (priced.isEmpty()) {
        String reason =
            "the base fee "
                + node.baseFeePerGas()
                + " wei/gas is above the max-fee cap "
                + settings.maxFeePerGasWei()
                + " wei/gas: no transaction can be mined until it falls or the cap is raised";
        markStuck(null, List.of(), null, node, reason);
        throw new SenderException(SenderException.Kind.FEE_CAP, reason);
      }
      BigInteger nonce = nextNonce();
      SentTx tx = sign(nonce.longValueExact(), call, gasLimit, priced.get(), List.of());
      beforeBroadcast.accept(tx);
      try {
        broadcast(tx, signed(tx));
      } catch (IOException e) {
        nextNonce = null;
        throw new SenderException(
            SenderException.Kind.UNKNOWN_OUTCOME,
            "broadcast of "
                + tx.hash()
                + " to "
                + endpoint
                + " failed, it may or may not have arrived: "
                + detail(e),
            e);
      } catch (Refused refused) {
        throw refusedToSend(tx, refused);
      }
      nextNonce = nonce.add(BigInteger.ONE);
      metrics.sent(Duration.ofNanos(System.nanoTime() - started));
      resumeIfRefused();
      return tx;
    }
  }

  /**
   * Waits until {@code tx} is mined the configured confirmations deep or dropped, or the await
   * timeout passes; meanwhile replaces a version pending longer than {@code replace-after}, handing
   * each replacement to {@code beforeReplacement} before it is broadcast.
   *
   * @return {@link TxOutcome.Pending} if not mined (deep enough) in time; it may still be. Its
   *     hashes include every replacement made here.
   * @throws SenderException {@code UNAVAILABLE} if the node could not be asked (the transaction may
   *     still be mined: resolve it by its hashes later)
   */
  public TxOutcome await(SentTx tx, BeforeBroadcast beforeReplacement) throws SenderException {
    Objects.requireNonNull(tx, "tx");
    Objects.requireNonNull(beforeReplacement, "beforeReplacement");
    long started = System.nanoTime();
    long deadline = started + settings.awaitTimeout().toNanos();
    SentTx current = tx;
    while (true) {
      Step step = step(current, beforeReplacement, started);
      if (step.outcome() != null) {
        return step.outcome();
      }
      current = step.current();
      if (System.nanoTime() - deadline > 0) {
        return new TxOutcome.Pending(current.hashes(), isStuckAt(current.nonce()));
      }
      try {
        Thread.sleep(settings.pollInterval().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SenderException(
            SenderException.Kind.UNAVAILABLE, "interrupted awaiting " + current.hash(), e);
      }
    }
  }

  /**
   * One look at {@code tx} without waiting: its outcome if it is mined deep enough or dropped;
   * otherwise, if its latest version has waited past {@code replace-after}, it is replaced now
   * (through {@code beforeReplacement}) and Pending is returned with the new version's hash last.
   * For a caller that comes back to a pending transaction periodically instead of blocking on it.
   */
  public TxOutcome check(SentTx tx, BeforeBroadcast beforeReplacement) throws SenderException {
    Objects.requireNonNull(tx, "tx");
    Objects.requireNonNull(beforeReplacement, "beforeReplacement");
    Step step = step(tx, beforeReplacement, System.nanoTime());
    return step.outcome() != null
        ? step.outcome()
        : new TxOutcome.Pending(step.current().hashes(), isStuckAt(step.current().nonce()));
  }

  /** Either an outcome, or the transaction (replaced if it was due) still waiting. */
  private record Step(TxOutcome outcome, SentTx current) {}

  private Step step(SentTx current, BeforeBroadcast beforeReplacement, long startedNanos)
      throws SenderException {
    Observation seen = observe(current.hashes(), current.nonce());
    if (seen instanceof Observation.Deep deep) {
      resumeIfStuckAt(
          current.nonce(), "nonce " + current.nonce() + " mined in " + deep.receipt().hash());
      metrics.confirmed(Duration.ofNanos(System.nanoTime() - startedNanos));
      return new Step(new TxOutcome.Mined(deep.receipt()), current);
    }
    if (seen instanceof Observation.Gone gone) {
      return new Step(dropped(current.nonce(), gone.reason()), current);
    }
    if (seen instanceof Observation.InPool
        && !Duration.between(current.broadcastAt(), clock.instant())
            .minus(settings.replaceAfter())
            .isNegative()) {
      return new Step(null, replace(current, beforeReplacement));
    }
    return new Step(null, current);
  }

  /**
   * What the node says now about the versions {@code hashesOfOneNonce} of one transaction (all
   * hashes ever recorded for its nonce, e.g. after a restart). Does not replace anything.
   */
  public TxOutcome outcome(Collection<String> hashesOfOneNonce) throws SenderException {
    List<String> hashes = normalised(hashesOfOneNonce);
    Observation seen = observe(hashes, null);
    if (seen instanceof Observation.Deep deep) {
      return new TxOutcome.Mined(deep.receipt());
    }
    if (seen instanceof Observation.Gone gone) {
      return dropped(null, gone.reason());
    }
    return new TxOutcome.Pending(hashes, false);
  }

  /**
   * The pending transaction among {@code hashesOfOneNonce}, read back from the node so that {@link
   * #await} can go on replacing it (e.g. after a restart); its replacement clock starts now. Empty
   * if none of them is waiting in the node's pool (then {@link #outcome} says what happened).
   */
  public Optional<SentTx> resume(Collection<String> hashesOfOneNonce) throws SenderException {
    return resume(hashesOfOneNonce, clock.instant());
  }

  /**
   * Like {@link #resume(Collection)}, with the replacement clock of the pending version starting at
   * {@code broadcastAt} (when the caller recorded it): a caller that resumes on every pass lets the
   * replacement come due.
   */
  public Optional<SentTx> resume(Collection<String> hashesOfOneNonce, Instant broadcastAt)
      throws SenderException {
    Objects.requireNonNull(broadcastAt, "broadcastAt");
    List<String> hashes = normalised(hashesOfOneNonce);
    for (int i = hashes.size() - 1; i >= 0; i--) {
      Optional<org.web3j.protocol.core.methods.response.Transaction> found =
          transaction(hashes.get(i));
      if (found.isEmpty() || found.get().getBlockHash() != null) {
        continue;
      }
      org.web3j.protocol.core.methods.response.Transaction pending = found.get();
      if (!from.equalsIgnoreCase(pending.getFrom())) {
        throw new SenderException(
            SenderException.Kind.MISCONFIGURED,
            pending.getHash() + " was not sent by this sender's key " + from);
      }
      Fees priced =
          pending.getMaxFeePerGasRaw() != null
              ? new Fees.Dynamic(pending.getMaxFeePerGas(), pending.getMaxPriorityFeePerGas())
              : new Fees.Legacy(pending.getGasPrice());
      List<String> ordered = new ArrayList<>(hashes);
      ordered.remove(i);
      ordered.add(hashes.get(i));
      return Optional.of(
          new SentTx(
              from,
              pending.getNonce().longValueExact(),
              new Call(pending.getTo(), pending.getValue(), pending.getInput()),
              pending.getGas(),
              priced,
              ordered,
              broadcastAt));
    }
    return Optional.empty();
  }

  /** Forgets the local nonce; the next send reads the node's pending count. */
  public void resyncNonce() {
    synchronized (nonceLock) {
      nextNonce = null;
    }
  }

  // ---- replacement ----

  private SentTx replace(SentTx current, BeforeBroadcast beforeReplacement) throws SenderException {
    FeeRule.NodeFees node = nodeFees();
    Optional<Fees> bumped = fees.bump(current.fees(), node);
    if (bumped.isEmpty()) {
      markStuck(
          current.nonce(),
          current.hashes(),
          current.fees(),
          node,
          "nonce "
              + current.nonce()
              + " has waited past "
              + settings.replaceAfter()
              + " at "
              + current.fees()
              + " and the max-fee cap "
              + settings.maxFeePerGasWei()
              + " wei/gas allows no bump of "
              + settings.replacementBumpBps()
              + " bps; it and every later transaction of this key wait until the base fee falls"
              + " or the cap is raised");
      return current;
    }
    SentTx next =
        sign(current.nonce(), current.call(), current.gasLimit(), bumped.get(), current.hashes());
    beforeReplacement.accept(next);
    try {
      broadcast(next, signed(next));
    } catch (IOException e) {
      log.warn(
          "Replacement {} of nonce {} may or may not have reached {}: {}",
          next.hash(),
          next.nonce(),
          endpoint,
          detail(e));
      return next;
    } catch (Refused refused) {
      // A version was mined meanwhile (nonce used), or the node wants a larger bump: keep waiting
      // on every version; the next replacement is due after another replace-after.
      log.warn(
          "Replacement {} of nonce {} refused by the node ({}); waiting on the earlier versions",
          next.hash(),
          next.nonce(),
          refused.getMessage());
      return next;
    }
    metrics.replaced();
    log.info(
        "Replaced nonce {} of {}: {} at {} (after {} at {})",
        next.nonce(),
        from,
        next.hash(),
        next.fees(),
        current.hash(),
        current.fees());
    resumeIfStuckAt(next.nonce(), "nonce " + next.nonce() + " replaced by " + next.hash());
    return next;
  }

  // ---- what the node says ----

  /** What the node knows of the versions of one nonce. */
  private sealed interface Observation {
    /** A version's receipt is deep enough. */
    record Deep(Receipt receipt) implements Observation {}

    /** A version is mined but not yet deep enough. */
    record Shallow() implements Observation {}

    /** A version waits in the node's pool and can be mined next. */
    record InPool() implements Observation {}

    /** No version can be mined as things stand. */
    record Gone(String reason) implements Observation {}
  }

  /**
   * @param nonce the versions' nonce if known (then a nonce used by another transaction is
   *     recognised)
   */
  private Observation observe(List<String> hashes, Long nonce) throws SenderException {
    Optional<Observation> mined = mined(hashes);
    if (mined.isPresent()) {
      return mined.get();
    }
    for (String hash : hashes) {
      Optional<org.web3j.protocol.core.methods.response.Transaction> found = transaction(hash);
      // A node may still return an orphaned transaction with its old block; without a receipt
      // that is not pending.
      if (found.isEmpty() || found.get().getBlockHash() != null) {
        continue;
      }
      BigInteger executable = transactionCount(DefaultBlockParameterName.PENDING);
      if (found.get().getNonce().compareTo(executable) < 0) {
        return new Observation.InPool();
      }
      // Nothing holds the nonces below it: the node queues it until they are used.
      return new Observation.Gone(
          "queued behind nonce "
              + executable
              + ", which no transaction holds (an earlier one was dropped or orphaned)");
    }
    BigInteger used = nonce == null ? null : transactionCount(DefaultBlockParameterName.LATEST);
    // It may have been mined between the questions.
    mined = mined(hashes);
    if (mined.isPresent()) {
      return mined.get();
    }
    if (used != null && used.compareTo(BigInteger.valueOf(nonce)) > 0) {
      return new Observation.Gone(
          "nonce " + nonce + " was used by a transaction that is none of " + hashes);
    }
    return new Observation.Gone(
        "unknown to the node (dropped, orphaned by a reorg, or never sent)");
  }

  private Optional<Observation> mined(List<String> hashes) throws SenderException {
    for (String hash : hashes) {
      Optional<TransactionReceipt> receipt = receipt(hash);
      if (receipt.isEmpty()) {
        continue;
      }
      if (settings.receiptConfirmations() > 1) {
        long head =
            read("eth_blockNumber", () -> web3j.ethBlockNumber().send())
                .getBlockNumber()
                .longValueExact();
        long depth = head - receipt.get().getBlockNumber().longValueExact() + 1;
        if (depth < settings.receiptConfirmations()) {
          return Optional.of(new Observation.Shallow());
        }
        // Read again at this depth: a receipt orphaned meanwhile must not be reported.
        Optional<TransactionReceipt> again = receipt(hash);
        if (again.isEmpty() || !again.get().getBlockHash().equals(receipt.get().getBlockHash())) {
          return Optional.of(new Observation.Shallow());
        }
      }
      return Optional.of(new Observation.Deep(receiptOf(receipt.get())));
    }
    return Optional.empty();
  }

  private TxOutcome dropped(Long nonce, String reason) {
    metrics.dropped();
    resyncNonce();
    if (nonce != null) {
      resumeIfStuckAt(nonce, "nonce " + nonce + " dropped: " + reason);
    }
    return new TxOutcome.Dropped(reason);
  }

  private Optional<TransactionReceipt> receipt(String hash) throws SenderException {
    return read("eth_getTransactionReceipt", () -> web3j.ethGetTransactionReceipt(hash).send())
        .getTransactionReceipt();
  }

  private Optional<org.web3j.protocol.core.methods.response.Transaction> transaction(String hash)
      throws SenderException {
    return read("eth_getTransactionByHash", () -> web3j.ethGetTransactionByHash(hash).send())
        .getTransaction();
  }

  private BigInteger transactionCount(DefaultBlockParameterName at) throws SenderException {
    return read("eth_getTransactionCount", () -> web3j.ethGetTransactionCount(from, at).send())
        .getTransactionCount();
  }

  private static Receipt receiptOf(TransactionReceipt r) {
    List<Receipt.LogEntry> logs = new ArrayList<>();
    for (org.web3j.protocol.core.methods.response.Log l : r.getLogs()) {
      logs.add(
          new Receipt.LogEntry(
              l.getAddress() == null ? null : l.getAddress().toLowerCase(Locale.ROOT),
              l.getTopics(),
              l.getData(),
              l.getLogIndex() == null ? -1 : l.getLogIndex().longValueExact()));
    }
    String effective = r.getEffectiveGasPrice();
    return new Receipt(
        r.getTransactionHash().toLowerCase(Locale.ROOT),
        r.getBlockNumber().longValueExact(),
        r.getBlockHash(),
        r.isStatusOK(),
        r.getGasUsed(),
        effective == null ? null : Numeric.decodeQuantity(effective),
        logs);
  }

  // ---- fees, gas, nonce, chain ----

  private FeeRule.NodeFees nodeFees() throws SenderException {
    EthBlock.Block latest =
        read(
                "eth_getBlockByNumber",
                () -> web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send())
            .getBlock();
    if (latest == null) {
      throw new SenderException(
          SenderException.Kind.UNAVAILABLE, endpoint + " returned no latest block");
    }
    if (latest.getBaseFeePerGasRaw() == null) {
      BigInteger price = read("eth_gasPrice", () -> web3j.ethGasPrice().send()).getGasPrice();
      return new FeeRule.NodeFees(null, null, price);
    }
    return new FeeRule.NodeFees(nextBaseFee(latest.getBaseFeePerGas()), priorityFee(), null);
  }

  /**
   * The base fee the next block will charge: the last entry of {@code eth_feeHistory} (one past the
   * newest block), else the latest block's.
   */
  private BigInteger nextBaseFee(BigInteger latest) {
    try {
      EthFeeHistory history =
          web3j.ethFeeHistory(1, DefaultBlockParameterName.LATEST, List.of()).send();
      if (!history.hasError()
          && history.getFeeHistory() != null
          && history.getFeeHistory().getBaseFeePerGas() != null
          && !history.getFeeHistory().getBaseFeePerGas().isEmpty()) {
        List<BigInteger> bases = history.getFeeHistory().getBaseFeePerGas();
        return bases.get(bases.size() - 1);
      }
    } catch (IOException | RuntimeException e) {
      // A node without fee history: the latest block's base fee is the best estimate left.
    }
    return latest;
  }

  private BigInteger priorityFee() throws SenderException {
    try {
      var suggested = web3j.ethMaxPriorityFeePerGas().send();
      if (!suggested.hasError() && suggested.getResult() != null) {
        return suggested.getMaxPriorityFeePerGas();
      }
    } catch (IOException | RuntimeException e) {
      // Not every node has the method; the fee history below answers the same question.
    }
    EthFeeHistory.FeeHistory history =
        read(
                "eth_feeHistory",
                () ->
                    web3j
                        .ethFeeHistory(
                            FEE_HISTORY_BLOCKS, DefaultBlockParameterName.LATEST, List.of(50.0))
                        .send())
            .getFeeHistory();
    List<BigInteger> rewards = new ArrayList<>();
    if (history != null && history.getReward() != null) {
      history.getReward().stream()
          .filter(r -> r != null && !r.isEmpty())
          .forEach(r -> rewards.add(r.get(0)));
    }
    if (rewards.isEmpty()) {
      throw new SenderException(
          SenderException.Kind.UNAVAILABLE,
          endpoint + " suggests no priority fee (eth_maxPriorityFeePerGas and eth_feeHistory)");
    }
    rewards.sort(BigInteger::compareTo);
    return rewards.get(rewards.size() / 2);
  }

  private BigInteger estimateGas(Call call) throws SenderException {
    EthEstimateGas estimate;
    try {
      estimate =
          web3j
              .ethEstimateGas(
                  new Transaction(from, null, null, null, call.to(), call.value(), call.data()))
              .send();
    } catch (IOException e) {
      throw new SenderException(
          SenderException.Kind.UNAVAILABLE,
          "eth_estimateGas at " + endpoint + " failed: " + detail(e),
          e);
    }
    if (estimate.hasError()) {
      throw new SenderException(
          SenderException.Kind.REJECTED,
          "the call to "
              + call.to()
              + " would fail (gas estimate): "
              + estimate.getError().getMessage());
    }
    BigInteger gas = estimate.getAmountUsed();
    return gas.add(
        gas.multiply(BigInteger.valueOf(settings.gasHeadroomPercent()))
            .divide(BigInteger.valueOf(100)));
  }

  private BigInteger nextNonce() throws SenderException {
    if (nextNonce == null) {
      nextNonce = transactionCount(DefaultBlockParameterName.PENDING);
    }
    return nextNonce;
  }

  private void checkChain() throws SenderException {
    if (chainChecked) {
      return;
    }
    long node = read("eth_chainId", () -> web3j.ethChainId().send()).getChainId().longValue();
    if (node != settings.chainId()) {
      throw new SenderException(
          SenderException.Kind.MISCONFIGURED,
          "the node at "
              + endpoint
              + " is chain "
              + node
              + ", the sender signs for chain "
              + settings.chainId());
    }
    chainChecked = true;
  }

  // ---- signing and broadcasting ----

  private SentTx sign(
      long nonce, Call call, BigInteger gasLimit, Fees priced, List<String> earlier) {
    String hex = signedHex(nonce, call, gasLimit, priced);
    String hash = Hash.sha3(hex).toLowerCase(Locale.ROOT);
    List<String> hashes = new ArrayList<>(earlier);
    hashes.add(hash);
    return new SentTx(from, nonce, call, gasLimit, priced, hashes, clock.instant());
  }

  private String signed(SentTx tx) {
    return signedHex(tx.nonce(), tx.call(), tx.gasLimit(), tx.fees());
  }

  private String signedHex(long nonce, Call call, BigInteger gasLimit, Fees priced) {
    BigInteger n = BigInteger.valueOf(nonce);
    RawTransaction raw;
    byte[] signed;
    if (priced instanceof Fees.Dynamic dynamic) {
      raw =
          RawTransaction.createTransaction(
              settings.chainId(),
              n,
              gasLimit,
              call.to(),
              call.value(),
              call.data(),
              dynamic.maxPriorityFeePerGas(),
              dynamic.maxFeePerGas());
      signed = TransactionEncoder.signMessage(raw, key);
    } else {
      raw =
          RawTransaction.createTransaction(
              n, ((Fees.Legacy) priced).gasPrice(), gasLimit, call.to(), call.value(), call.data());
      signed = TransactionEncoder.signMessage(raw, settings.chainId(), key);
    }
    return Numeric.toHexString(signed);
  }

  /** A broadcast the node answered with an error other than "already known". */
  private static final class Refused extends Exception {
    final NodeRefusal why;

    Refused(NodeRefusal why, String message) {
      super(message, null, false, false);
      this.why = why;
    }
  }

  private void broadcast(SentTx tx, String signedHex) throws IOException, Refused {
    EthSendTransaction response = web3j.ethSendRawTransaction(signedHex).send();
    if (!response.hasError()) {
      return;
    }
    String message = response.getError().getMessage();
    NodeRefusal why = NodeRefusal.of(message);
    if (why == NodeRefusal.ALREADY_KNOWN) {
      return;
    }
    throw new Refused(why, endpoint.scrub(message));
  }

  private SenderException refusedToSend(SentTx tx, Refused refused) {
    String what =
        "transaction " + tx.hash() + " (nonce " + tx.nonce() + ") refused: " + refused.getMessage();
    switch (refused.why) {
      case NONCE, REPLACEMENT_UNDERPRICED -> {
        // Another transaction holds the nonce (a crash lost track of it, or another signer uses
        // the key): read the count again.
        nextNonce = null;
        log.warn(
            "Nonce {} of {} refused ({}); re-reading it from the node",
            tx.nonce(),
            from,
            refused.getMessage());
        return new SenderException(SenderException.Kind.NONCE, what);
      }
      case FEE_TOO_LOW -> {
        return new SenderException(
            tx.fees().maxPerGas().compareTo(settings.maxFeePerGasWei()) >= 0
                ? SenderException.Kind.FEE_CAP
                : SenderException.Kind.UNAVAILABLE,
            what + " (the base fee rose above the offered max fee; try again)");
      }
      case INSUFFICIENT_FUNDS -> {
        return new SenderException(
            SenderException.Kind.REJECTED, what + " (fund " + from + " with ETH for gas)");
      }
      default -> {
        return new SenderException(SenderException.Kind.REJECTED, what);
      }
    }
  }

  // ---- stuck state ----

  private void markStuck(
      Long nonce, List<String> hashes, Fees current, FeeRule.NodeFees node, String reason) {
    synchronized (stuckLock) {
      if (stuck != null) {
        // The first cause stays reported until it is resolved; then a remaining one is found anew.
        return;
      }
      SenderListener.Stuck report =
          new SenderListener.Stuck(
              from,
              nonce,
              hashes,
              current,
              node.baseFeePerGas(),
              settings.maxFeePerGasWei(),
              reason,
              clock.instant());
      stuck = report;
      log.warn("Transactions of {} are stuck: {}", from, reason);
      notify(() -> listener.stuck(report));
    }
  }

  private void resumeIfStuckAt(long nonce, String detail) {
    synchronized (stuckLock) {
      SenderListener.Stuck now = stuck;
      if (now != null && now.nonce() != null && now.nonce() == nonce) {
        resume(detail);
      }
    }
  }

  private void resumeIfRefused() {
    synchronized (stuckLock) {
      SenderListener.Stuck now = stuck;
      if (now != null && now.nonce() == null) {
        resume("a new transaction was accepted under the cap");
      }
    }
  }

  private void resume(String detail) {
    stuck = null;
    log.warn("Transactions of {} progress again: {}", from, detail);
    notify(() -> listener.resumed(from, detail));
  }

  private boolean isStuckAt(long nonce) {
    SenderListener.Stuck now = stuck;
    return now != null && now.nonce() != null && now.nonce() == nonce;
  }

  private static void notify(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      log.warn("A sender listener failed: {}", e.toString());
    }
  }

  // ---- helpers ----

  private static List<String> normalised(Collection<String> hashes) {
    List<String> list = hashes.stream().map(h -> h.toLowerCase(Locale.ROOT)).distinct().toList();
    if (list.isEmpty()) {
      throw new IllegalArgumentException("at least one transaction hash is needed");
    }
    return list;
  }

  private String detail(Exception e) {
    return endpoint.scrub(e.getClass().getSimpleName() + ": " + e.getMessage());
  }

  @FunctionalInterface
  private interface Rpc<T extends Response<?>> {
    T call() throws IOException;
  }

  private <T extends Response<?>> T read(String method, Rpc<T> rpc) throws SenderException {
    T response;
    try {
      response = rpc.call();
    } catch (IOException e) {
      throw new SenderException(
          SenderException.Kind.UNAVAILABLE,
          method + " at " + endpoint + " failed: " + detail(e),
          e);
    } catch (RuntimeException e) {
      throw new SenderException(
          SenderException.Kind.UNAVAILABLE,
          method + " at " + endpoint + " returned an unreadable answer: " + detail(e),
          e);
    }
    if (response == null) {
      throw new SenderException(
          SenderException.Kind.UNAVAILABLE, method + " at " + endpoint + " returned nothing");
    }
    if (response.hasError()) {
      throw new SenderException(
          SenderException.Kind.UNAVAILABLE,
          method
              + " at "
              + endpoint
              + " failed: "
              + endpoint.scrub(response.getError().getMessage()));
    }
    return response;
  }
}
