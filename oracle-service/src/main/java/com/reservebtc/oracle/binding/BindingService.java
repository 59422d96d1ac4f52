package com.reservebtc.oracle.binding;

import com.reservebtc.oracle.kafka.EventPublisher;
import com.reservebtc.oracle.ownership.BtcAddress;
import com.reservebtc.oracle.ownership.BtcNetwork;
import com.reservebtc.oracle.ownership.EthSignatureVerifier;
import com.reservebtc.oracle.ownership.OwnershipClaim;
import com.reservebtc.oracle.ownership.OwnershipRejectedException;
import com.reservebtc.oracle.ownership.OwnershipRejectedException.Reason;
import com.reservebtc.oracle.ownership.OwnershipVerifier;
import com.reservebtc.oracle.ownership.SignatureScheme;
import com.reservebtc.oracle.ownership.UnbindMessage;
import com.reservebtc.oracle.ownership.VerifiedOwnership;
import com.reservebtc.schemas.Keys;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.BindingEvent;
import com.reservebtc.schemas.avro.BindingKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Binds a Bitcoin address to an EVM address after verifying the ownership proof, and unbinds it
 * after verifying a signed {@link UnbindMessage}.
 *
 * <p>Guarantees: nothing is stored unless {@link OwnershipVerifier} accepted the claim (both keys
 * signed); a Bitcoin address bound to another EVM address is refused by the database's UNIQUE
 * constraint (no race); binding the same pair again is idempotent; a binding or unbinding must be
 * signed strictly after the address's last change, checked and advanced in the transaction of the
 * change, so a captured request cannot be replayed. The BOUND event is published after the row is
 * committed and the acknowledgement awaited; if that fails, {@link #republishUnpublished} sends it
 * later, so every binding is published at least once. The same holds for UNBOUND events of
 * unbindings, which remove the row and record it in the unbindings table in one statement.
 */
@Service
public class BindingService {

  private static final Logger log = LoggerFactory.getLogger(BindingService.class);

  private final OwnershipVerifier verifier;
  private final BindingRepository repository;
  private final EventPublisher publisher;
  private final RegistrationPrepay prepay;
  private final Clock clock;
  private final TransactionTemplate transactions;

  BindingService(
      OwnershipVerifier verifier,
      BindingRepository repository,
      EventPublisher publisher,
      RegistrationPrepay prepay,
      Clock clock,
      PlatformTransactionManager transactionManager) {
    this.verifier = verifier;
    this.repository = repository;
    this.publisher = publisher;
    this.prepay = prepay;
    this.clock = clock;
    this.transactions = new TransactionTemplate(transactionManager);
  }

  /**
   * @throws OwnershipRejectedException if the proof of either key is not valid, or the request is
   *     not newer than the address's last binding or unbinding
   * @throws BindingConflictException if the Bitcoin address is bound to another EVM address
   */
  BindingOutcome bind(OwnershipClaim claim) {
    VerifiedOwnership ownership = verifier.verify(claim);
    String btc = ownership.btcAddress().text();
    Optional<Binding> existing = repository.findByBtcAddress(btc);
    if (existing.isPresent()) {
      return sameOwnerOrConflict(existing.get(), ownership);
    }
    Optional<Binding> inserted =
        transactions.execute(
            status -> {
              Instant now = clock.instant();
              if (!repository.advanceLastChange(btc, ownership.messageTimestamp(), now)) {
                throw stale(btc, ownership.messageTimestamp(), "binding");
              }
              Optional<Binding> row = repository.insertIfAbsent(ownership, now);
              if (row.isEmpty()) {
                status.setRollbackOnly();
              }
              return row;
            });
    if (inserted.isEmpty()) {
      // Bound concurrently by another request between the read and the insert.
      Binding winner =
          repository
              .findByBtcAddress(btc)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "binding of " + btc + " conflicted but is not found"));
      return sameOwnerOrConflict(winner, ownership);
    }
    Binding binding = inserted.get();
    log.info(
        "Bound {} ({}) to {} by {} and EIP191",
        binding.btcAddress(),
        binding.network(),
        binding.ethAddress(),
        binding.signatureScheme());
    publish(binding);
    String prepayTx = prepay.afterNewBinding(ownership);
    return new BindingOutcome(binding, true, prepayTx);
  }

  private static BindingOutcome sameOwnerOrConflict(Binding existing, VerifiedOwnership claim) {
    if (!existing.ethAddress().equals(claim.ethAddress())) {
      throw new BindingConflictException(claim.btcAddress().text());
    }
    return new BindingOutcome(existing, false, null);
  }

  private OwnershipRejectedException stale(String btcAddress, long timestamp, String what) {
    long last = repository.lastChange(btcAddress).orElse(timestamp);
    return new OwnershipRejectedException(
        Reason.STALE_REQUEST,
        "this "
            + what
            + " request is signed at "
            + timestamp
            + ", but "
            + btcAddress
            + " was last bound or unbound by a request signed at "
            + last
            + "; sign a fresh request (a request is valid only if signed after the address's last"
            + " change, so a captured one cannot be replayed)");
  }

  /**
   * Removes the binding of {@code btcAddress} if {@code message} is a valid {@link UnbindMessage}
   * for it, signed by the Bitcoin address's key ({@code signature}) or by the EVM address it is
   * bound to ({@code ethSignature}, EIP-191) — either key may unbind; a signature that is given
   * must be valid — then publishes UNBOUND.
   *
   * @throws OwnershipRejectedException if the request or a signature is not valid, or the request
   *     is not newer than the address's last change
   * @throws BindingNotFoundException if the address is not bound
   */
  Unbinding unbind(String btcAddress, String message, String signature, String ethSignature) {
    BtcNetwork network = verifier.network();
    BtcAddress address = BtcAddress.parse(btcAddress, network);
    UnbindMessage request = UnbindMessage.parse(message, network);
    Binding binding =
        repository
            .findByBtcAddress(address.text())
            .orElseThrow(() -> new BindingNotFoundException(address.text()));
    request.requireValidFor(
        binding.ethAddress(), address.text(), binding.messageTimestamp(), clock.instant());
    boolean bitcoinSigned = signature != null && !signature.isEmpty();
    boolean evmSigned = ethSignature != null && !ethSignature.isEmpty();
    if (!bitcoinSigned && !evmSigned) {
      throw new OwnershipRejectedException(
          Reason.MALFORMED_SIGNATURE,
          "an unbind request needs a signature by the Bitcoin key (signature) or by the EVM"
              + " address it is bound to (ethSignature, EIP-191)");
    }
    String scheme = SignatureScheme.EIP191_LABEL;
    if (bitcoinSigned) {
      scheme = verifier.verifySignature(address, message, signature).name();
    }
    if (evmSigned) {
      EthSignatureVerifier.verify(binding.ethAddress(), message, ethSignature);
    }
    String storedScheme = scheme;
    Unbinding unbinding =
        transactions.execute(
            status -> {
              Instant now = clock.instant();
              if (!repository.advanceLastChange(address.text(), request.timestamp(), now)) {
                throw stale(address.text(), request.timestamp(), "unbind");
              }
              return repository
                  .unbind(
                      address.text(),
                      binding.ethAddress(),
                      message,
                      bitcoinSigned ? signature : null,
                      evmSigned ? ethSignature.toLowerCase(Locale.ROOT) : null,
                      storedScheme,
                      request.timestamp(),
                      now)
                  .orElseThrow(() -> new BindingNotFoundException(address.text()));
            });
    log.info(
        "Unbound {} from {} by {}",
        unbinding.btcAddress(),
        unbinding.ethAddress(),
        bitcoinSigned && evmSigned ? storedScheme + " and EIP191" : storedScheme);
    publishUnbinding(unbinding);
    return unbinding;
  }

  java.util.List<Binding> bindingsOf(String ethAddress) {
    return repository.findByEthAddress(Keys.user(ethAddress));
  }

  /**
   * Publishes BOUND events that were committed more than {@code olderThan} ago but never
   * acknowledged.
   */
  public int republishUnpublished(Duration olderThan) {
    var pending = repository.unpublished(clock.instant().minus(olderThan));
    for (Binding binding : pending) {
      publisher.publish(Topics.ORACLE_BINDINGS, Keys.user(binding.ethAddress()), toEvent(binding));
      repository.markPublished(binding.id(), clock.instant());
    }
    var unbindings = repository.unpublishedUnbindings(clock.instant().minus(olderThan));
    for (Unbinding unbinding : unbindings) {
      publisher.publish(
          Topics.ORACLE_BINDINGS, Keys.user(unbinding.ethAddress()), toEvent(unbinding));
      repository.markUnbindingPublished(unbinding.id(), clock.instant());
    }
    int total = pending.size() + unbindings.size();
    if (total > 0) {
      log.info("Re-published {} binding events", total);
    }
    return total;
  }

  private void publishUnbinding(Unbinding unbinding) {
    try {
      publisher.publish(
          Topics.ORACLE_BINDINGS, Keys.user(unbinding.ethAddress()), toEvent(unbinding));
      repository.markUnbindingPublished(unbinding.id(), clock.instant());
    } catch (EventPublisher.PublishException e) {
      log.warn(
          "Unbinding of {} is stored but its event is not yet published; it will be re-published:"
              + " {}",
          unbinding.btcAddress(),
          e.getMessage());
    }
  }

  /** The wire contract leaves the scheme empty and the timestamp 0 for an unbinding. */
  private static BindingEvent toEvent(Unbinding unbinding) {
    return BindingEvent.newBuilder()
        .setKind(BindingKind.UNBOUND)
        .setEthAddress(unbinding.ethAddress())
        .setBtcAddress(unbinding.btcAddress())
        .setNetwork(unbinding.network())
        .setSignatureScheme("")
        .setMessageTimestamp(0)
        .setOccurredAtMillis(unbinding.unboundAt().toEpochMilli())
        .build();
  }

  private void publish(Binding binding) {
    try {
      publisher.publish(Topics.ORACLE_BINDINGS, Keys.user(binding.ethAddress()), toEvent(binding));
      repository.markPublished(binding.id(), clock.instant());
    } catch (EventPublisher.PublishException e) {
      log.warn(
          "Binding of {} is stored but its event is not yet published; it will be re-published: {}",
          binding.btcAddress(),
          e.getMessage());
    }
  }

  private static BindingEvent toEvent(Binding binding) {
    return BindingEvent.newBuilder()
        .setKind(BindingKind.BOUND)
        .setEthAddress(binding.ethAddress())
        .setBtcAddress(binding.btcAddress())
        .setNetwork(binding.network())
        .setSignatureScheme(binding.signatureScheme())
        .setMessageTimestamp(binding.messageTimestamp())
        .setOccurredAtMillis(binding.verifiedAt().toEpochMilli())
        .build();
  }

  /**
   * @param binding the stored binding
   * @param created whether this request created it (false: it already existed for the same pair)
   * @param prepayTxHash the registerAndPrepay transaction, when the dev prepay is on and succeeded
   */
  record BindingOutcome(Binding binding, boolean created, String prepayTxHash) {}
}
