package com.reservebtc.oracle.chain;

import com.reservebtc.oracle.OracleProperties;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
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
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Signs and sends transactions from the single committee key, managing its nonce locally.
 *
 * <p>Guarantees: transactions are signed locally, so the hash and nonce are known — and handed to
 * the caller's {@link BeforeBroadcast} to be recorded — before anything reaches the node. Nonces
 * are assigned one at a time under a lock, starting from the node's pending count; a nonce error,
 * an unknown broadcast outcome or {@link #resyncNonce()} (called by the sync cycle whenever nothing
 * of its own is in flight) makes the next send re-read the pending count. Does not replace or speed
 * up stuck transactions, and does not retry by itself: callers decide (a sync sets an absolute
 * balance, so sending it again is safe).
 */
public final class CommitteeTransactor {

  private static final Logger log = LoggerFactory.getLogger(CommitteeTransactor.class);

  private final Web3j web3j;
  private final long chainId;
  private final Credentials credentials;
  private final String from;
  private final Duration receiptPollInterval;
  private final Duration receiptTimeout;
  private final int receiptConfirmations;
  private final int gasHeadroomPercent;
  private final Object lock = new Object();
  private BigInteger nextNonce;

  CommitteeTransactor(
      Web3j web3j, long chainId, Credentials credentials, OracleProperties properties) {
    this.web3j = Objects.requireNonNull(web3j, "web3j");
    this.chainId = chainId;
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.from = credentials.getAddress().toLowerCase(Locale.ROOT);
    this.receiptPollInterval = properties.receiptPollInterval();
    this.receiptTimeout = properties.receiptTimeout();
    this.receiptConfirmations = properties.receiptConfirmations();
    this.gasHeadroomPercent = properties.gasHeadroomPercent();
  }

  /** Called with the signed transaction's identity before it is broadcast. */
  @FunctionalInterface
  public interface BeforeBroadcast {
    void accept(SignedTx tx);
  }

  /** The committee address, lower case. */
  public String address() {
    return from;
  }

  /**
   * Estimates gas, signs with the next nonce, calls {@code beforeBroadcast}, then broadcasts.
   *
   * @throws ChainException {@code REJECTED} if the node refused it (including a failed gas
   *     estimate, before anything was signed), {@code NONCE} if refused for its nonce, {@code
   *     UNKNOWN_OUTCOME} if the broadcast may or may not have arrived, {@code UNAVAILABLE} if the
   *     node could not be asked for gas or nonce
   */
  public SignedTx send(String to, BigInteger value, String data, BeforeBroadcast beforeBroadcast)
      throws ChainException {
    synchronized (lock) {
      BigInteger gasLimit = estimateGas(to, value, data);
      BigInteger gasPrice = gasPrice();
      BigInteger nonce = nextNonce();
      RawTransaction raw =
          RawTransaction.createTransaction(nonce, gasPrice, gasLimit, to, value, data);
      String signed =
          Numeric.toHexString(TransactionEncoder.signMessage(raw, chainId, credentials));
      SignedTx tx =
          new SignedTx(Hash.sha3(signed).toLowerCase(Locale.ROOT), nonce.longValueExact());
      beforeBroadcast.accept(tx);
      EthSendTransaction response;
      try {
        response = web3j.ethSendRawTransaction(signed).send();
      } catch (IOException e) {
        nextNonce = null;
        throw new ChainException(
            ChainException.Kind.UNKNOWN_OUTCOME,
            "broadcast of "
                + tx.hash()
                + " failed, it may or may not have arrived: "
                + e.getMessage(),
            e);
      }
      if (response.hasError()) {
        String message = response.getError().getMessage();
        String lower = message == null ? "" : message.toLowerCase(Locale.ROOT);
        if (lower.contains("already known")) {
          nextNonce = nonce.add(BigInteger.ONE);
          return tx;
        }
        if (lower.contains("nonce") || lower.contains("replacement transaction underpriced")) {
          nextNonce = null;
          log.warn("Committee nonce {} refused ({}); resyncing from the node", nonce, message);
          throw new ChainException(
              ChainException.Kind.NONCE, "nonce " + nonce + " refused: " + message);
        }
        throw new ChainException(ChainException.Kind.REJECTED, "transaction refused: " + message);
      }
      nextNonce = nonce.add(BigInteger.ONE);
      return tx;
    }
  }

  /**
   * Polls until the transaction is mined {@code receipt-confirmations} deep or dropped, or the
   * receipt timeout passes. A transaction the node neither has a receipt for nor can mine (evicted,
   * or orphaned by a reorg) is reported at once rather than waited for; a receipt is reported only
   * once it is deep enough, from a read at that depth.
   *
   * @return {@link TxOutcome.Pending} if it was not mined (deep enough) in time; it may still be
   */
  public TxOutcome awaitOutcome(String txHash) throws ChainException {
    long deadline = System.nanoTime() + receiptTimeout.toNanos();
    while (true) {
      TxOutcome outcome = outcome(txHash);
      if (!(outcome instanceof TxOutcome.Pending) || System.nanoTime() > deadline) {
        return outcome;
      }
      try {
        Thread.sleep(receiptPollInterval.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ChainException(
            ChainException.Kind.UNAVAILABLE, "interrupted awaiting " + txHash, e);
      }
    }
  }

  /** Whether the receipt's block is {@code receipt-confirmations} deep (itself counting one). */
  private boolean deepEnough(TransactionReceipt receipt) throws ChainException {
    if (receiptConfirmations <= 1) {
      return true;
    }
    long head;
    try {
      head = web3j.ethBlockNumber().send().getBlockNumber().longValueExact();
    } catch (IOException e) {
      throw new ChainException(
          ChainException.Kind.UNAVAILABLE, "eth_blockNumber failed: " + e.getMessage(), e);
    }
    return head - receipt.getBlockNumber().longValueExact() + 1 >= receiptConfirmations;
  }

  /**
   * What the node says about the transaction now; a receipt not yet {@code receipt-confirmations}
   * deep counts as pending.
   */
  public TxOutcome outcome(String txHash) throws ChainException {
    Optional<TransactionReceipt> receipt = receipt(txHash);
    if (receipt.isPresent()) {
      return deepEnough(receipt.get())
          ? new TxOutcome.Mined(receipt.get())
          : new TxOutcome.Pending();
    }
    Optional<BigInteger> pendingNonce = pendingNonce(txHash);
    if (pendingNonce.isPresent()) {
      BigInteger executable = pendingCount();
      if (pendingNonce.get().compareTo(executable) < 0) {
        return new TxOutcome.Pending();
      }
      // Nothing holds the nonces below it: the node queues it until they are used.
      return new TxOutcome.Dropped(
          "queued behind nonce "
              + executable
              + ", which no transaction holds (an earlier one was orphaned)");
    }
    // It may have been mined between the two questions.
    receipt = receipt(txHash);
    if (receipt.isPresent() && !deepEnough(receipt.get())) {
      return new TxOutcome.Pending();
    }
    return receipt.isPresent()
        ? new TxOutcome.Mined(receipt.get())
        : new TxOutcome.Dropped(
            "unknown to the node (dropped, orphaned by a reorg, or never sent)");
  }

  /** The receipt if the transaction is mined. */
  public Optional<TransactionReceipt> receipt(String txHash) throws ChainException {
    try {
      return web3j.ethGetTransactionReceipt(txHash).send().getTransactionReceipt();
    } catch (IOException e) {
      throw new ChainException(
          ChainException.Kind.UNAVAILABLE,
          "eth_getTransactionReceipt failed: " + e.getMessage(),
          e);
    }
  }

  /**
   * The nonce of the transaction if the node holds it as pending. A node may still return an
   * orphaned transaction with the block it used to be in; without a receipt that is not pending.
   */
  private Optional<BigInteger> pendingNonce(String txHash) throws ChainException {
    try {
      return web3j
          .ethGetTransactionByHash(txHash)
          .send()
          .getTransaction()
          .filter(tx -> tx.getBlockHash() == null || tx.getBlockNumberRaw() == null)
          .map(tx -> tx.getNonce());
    } catch (IOException e) {
      throw new ChainException(
          ChainException.Kind.UNAVAILABLE, "eth_getTransactionByHash failed: " + e.getMessage(), e);
    }
  }

  /** Forgets the local nonce; the next send reads the node's pending count. */
  public void resyncNonce() {
    synchronized (lock) {
      nextNonce = null;
    }
  }

  private BigInteger nextNonce() throws ChainException {
    if (nextNonce == null) {
      nextNonce = pendingCount();
    }
    return nextNonce;
  }

  /** The committee's mined transactions plus those pending that can be mined next. */
  private BigInteger pendingCount() throws ChainException {
    try {
      return web3j
          .ethGetTransactionCount(from, DefaultBlockParameterName.PENDING)
          .send()
          .getTransactionCount();
    } catch (IOException e) {
      throw new ChainException(
          ChainException.Kind.UNAVAILABLE, "eth_getTransactionCount failed: " + e.getMessage(), e);
    }
  }

  private BigInteger estimateGas(String to, BigInteger value, String data) throws ChainException {
    EthEstimateGas estimate;
    try {
      estimate =
          web3j.ethEstimateGas(new Transaction(from, null, null, null, to, value, data)).send();
    } catch (IOException e) {
      throw new ChainException(
          ChainException.Kind.UNAVAILABLE, "eth_estimateGas failed: " + e.getMessage(), e);
    }
    if (estimate.hasError()) {
      throw new ChainException(
          ChainException.Kind.REJECTED, "gas estimate failed: " + estimate.getError().getMessage());
    }
    BigInteger gas = estimate.getAmountUsed();
    return gas.add(
        gas.multiply(BigInteger.valueOf(gasHeadroomPercent)).divide(BigInteger.valueOf(100)));
  }

  private BigInteger gasPrice() throws ChainException {
    try {
      var response = web3j.ethGasPrice().send();
      if (response.hasError()) {
        throw new ChainException(
            ChainException.Kind.UNAVAILABLE,
            "eth_gasPrice failed: " + response.getError().getMessage());
      }
      return response.getGasPrice();
    } catch (IOException e) {
      throw new ChainException(
          ChainException.Kind.UNAVAILABLE, "eth_gasPrice failed: " + e.getMessage(), e);
    }
  }
}
