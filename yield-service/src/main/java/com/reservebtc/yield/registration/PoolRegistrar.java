package com.reservebtc.yield.registration;

import com.reservebtc.txsender.SenderException;
import com.reservebtc.txsender.SentTx;
import com.reservebtc.txsender.TransactionSender;
import com.reservebtc.txsender.TxOutcome;
import com.reservebtc.yield.pool.PoolAccess;
import com.reservebtc.yield.pool.PoolClient;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Registers queued Bitcoin holders with {@code YieldScalesPool.joinAsBitcoinHolder(user)}, one
 * transaction at a time from one thread, through the pool oracle key's {@link TransactionSender}
 * (fees under the cap, replacement of a stuck transaction, receipts at the configured depth). The
 * hash of every version is recorded on the row before it is broadcast. A mined transaction moves
 * the participant to SUBMITTED; only the indexed ParticipantJoined event marks it registered. A
 * join the node refuses (its gas estimate reverts: AlreadyParticipant, ZeroValue, Restricted) or
 * that reverts fails at once; node errors, drops and transactions still pending at the await
 * timeout are retried up to the configured attempts.
 *
 * <p>Not guaranteed: exactly one transaction per user. A crash between sending and recording leaves
 * the row SUBMITTING; it is retried after {@code registration-stale-after}, and a second join is
 * refused harmlessly by the pool. Nothing is sent while the key is not confirmed to be the pool's
 * oracle.
 */
final class PoolRegistrar implements Registrations {

  private static final Logger log = LoggerFactory.getLogger(PoolRegistrar.class);
  private static final int BATCH = 20;

  private final PoolAccess access;
  private final RegistrationRepository repository;
  private final YieldProperties properties;

  PoolRegistrar(PoolAccess access, RegistrationRepository repository, YieldProperties properties) {
    this.access = access;
    this.repository = repository;
    this.properties = properties;
  }

  @Override
  public boolean automatic() {
    return true;
  }

  @Scheduled(fixedDelayString = "${rbtc.yield.registration-interval:5s}")
  void registerPending() {
    Optional<TransactionSender> sender = access.sender();
    Optional<PoolClient> pool = access.pool();
    if (sender.isEmpty() || pool.isEmpty()) {
      return;
    }
    List<String> users;
    do {
      users = repository.claimPending(BATCH, properties.registrationStaleAfter());
      for (String user : users) {
        register(sender.get(), pool.get(), user);
      }
    } while (users.size() == BATCH);
  }

  private void register(TransactionSender sender, PoolClient pool, String user) {
    try {
      SentTx tx = sender.send(pool.join(user), version -> repository.sending(user, version.hash()));
      TxOutcome outcome = sender.await(tx, version -> repository.sending(user, version.hash()));
      if (outcome instanceof TxOutcome.Mined mined && mined.receipt().success()) {
        repository.submitted(user, mined.receipt().hash());
        log.info("joinAsBitcoinHolder({}) mined in tx {}", user, mined.receipt().hash());
      } else if (outcome instanceof TxOutcome.Mined mined) {
        String status =
            repository.failed(
                user,
                "joinAsBitcoinHolder reverted in block " + mined.receipt().blockNumber(),
                false,
                properties.registrationMaxAttempts());
        log.warn("joinAsBitcoinHolder({}) reverted, registration now {}", user, status);
      } else if (outcome instanceof TxOutcome.Dropped dropped) {
        String status =
            repository.failed(
                user, "dropped: " + dropped.reason(), true, properties.registrationMaxAttempts());
        log.warn("joinAsBitcoinHolder({}) dropped, registration now {}", user, status);
      } else {
        log.warn(
            "joinAsBitcoinHolder({}) still pending ({}); retried after {}",
            user,
            ((TxOutcome.Pending) outcome).hashes(),
            properties.registrationStaleAfter());
      }
    } catch (SenderException e) {
      boolean retry = e.category() != SenderException.Category.FATAL;
      String status =
          repository.failed(user, e.getMessage(), retry, properties.registrationMaxAttempts());
      log.warn(
          "joinAsBitcoinHolder({}) failed, registration now {}: {}", user, status, e.getMessage());
    }
  }
}
