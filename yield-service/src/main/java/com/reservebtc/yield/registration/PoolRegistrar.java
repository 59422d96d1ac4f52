package com.reservebtc.yield.registration;

import com.reservebtc.contracts.generated.YieldScalesPool;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * Registers queued Bitcoin holders with {@code YieldScalesPool.joinAsBitcoinHolder(user)}, one
 * transaction at a time from one thread, waiting for each receipt. A mined transaction moves the
 * participant to SUBMITTED; only the indexed ParticipantJoined event marks it registered. A
 * reverted transaction (e.g. AlreadyParticipant, Restricted) fails at once; transport errors and
 * receipt time-outs are retried up to the configured attempts.
 *
 * <p>Not guaranteed: exactly one transaction per user. A crash between sending and recording leaves
 * the row SUBMITTING; it is retried after {@code registration-stale-after}, and a second join
 * reverts harmlessly on chain. Sharing the oracle key with another sender (the oracle service in a
 * dev setup) can make nonces collide; such failures are retried.
 */
final class PoolRegistrar implements Registrations, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PoolRegistrar.class);
  private static final int BATCH = 20;
  private static final long RECEIPT_POLL_MILLIS = 500;
  private static final int RECEIPT_POLL_ATTEMPTS = 240;

  private final Web3j web3j;
  private final YieldScalesPool pool;
  private final String oracleAddress;
  private final RegistrationRepository repository;
  private final YieldProperties properties;

  private PoolRegistrar(
      Web3j web3j,
      YieldScalesPool pool,
      String oracleAddress,
      RegistrationRepository repository,
      YieldProperties properties) {
    this.web3j = web3j;
    this.pool = pool;
    this.oracleAddress = oracleAddress;
    this.repository = repository;
    this.properties = properties;
  }

  static PoolRegistrar connect(
      YieldProperties properties,
      ChainProperties chain,
      String poolAddress,
      RegistrationRepository repository) {
    Credentials credentials;
    try {
      credentials = Credentials.create(properties.poolOracleKey().trim());
    } catch (RuntimeException e) {
      // The message of a key parsing error could echo the key: report only that it is malformed.
      throw new IllegalStateException(
          "rbtc.yield.pool-oracle-key is not a hex private key (RBTC_YIELD_POOL_ORACLE_KEY)");
    }
    Web3j web3j = Web3j.build(new HttpService(chain.rpcUrl()));
    RawTransactionManager transactions =
        new RawTransactionManager(
            web3j,
            credentials,
            chain.chainId(),
            new PollingTransactionReceiptProcessor(
                web3j, RECEIPT_POLL_MILLIS, RECEIPT_POLL_ATTEMPTS));
    YieldScalesPool pool =
        YieldScalesPool.load(poolAddress, web3j, transactions, new DefaultGasProvider());
    return new PoolRegistrar(web3j, pool, credentials.getAddress(), repository, properties);
  }

  @Override
  public boolean automatic() {
    return true;
  }

  String oracleAddress() {
    return oracleAddress;
  }

  @Scheduled(fixedDelayString = "${rbtc.yield.registration-interval:5s}")
  void registerPending() {
    List<String> users;
    do {
      users = repository.claimPending(BATCH, properties.registrationStaleAfter());
      users.forEach(this::register);
    } while (users.size() == BATCH);
  }

  private void register(String user) {
    try {
      TransactionReceipt receipt = pool.joinAsBitcoinHolder(user).send();
      repository.submitted(user, receipt.getTransactionHash());
      log.info("joinAsBitcoinHolder({}) mined in tx {}", user, receipt.getTransactionHash());
    } catch (TransactionException e) {
      Optional<TransactionReceipt> receipt = e.getTransactionReceipt();
      boolean reverted = receipt.isPresent();
      String status =
          repository.failed(user, e.getMessage(), !reverted, properties.registrationMaxAttempts());
      log.warn(
          "joinAsBitcoinHolder({}) failed, registration now {}: {}", user, status, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      repository.failed(user, "interrupted", true, properties.registrationMaxAttempts());
    } catch (Exception e) {
      String status =
          repository.failed(user, String.valueOf(e), true, properties.registrationMaxAttempts());
      log.warn("joinAsBitcoinHolder({}) failed, registration now {}", user, status, e);
    }
  }

  @Override
  public void close() {
    web3j.shutdown();
  }
}
