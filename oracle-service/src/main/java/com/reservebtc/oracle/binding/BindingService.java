package com.reservebtc.oracle.binding;

import com.reservebtc.oracle.kafka.EventPublisher;
import com.reservebtc.oracle.ownership.BtcAddress;
import com.reservebtc.oracle.ownership.BtcNetwork;
import com.reservebtc.oracle.ownership.OwnershipClaim;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Binds a Bitcoin address to an EVM address after verifying the ownership proof, and unbinds it
 * after verifying a signed {@link UnbindMessage}.
 *
 * <p>Guarantees: nothing is stored unless {@link OwnershipVerifier} accepted the claim; a Bitcoin
 * address bound to another EVM address is refused by the database's UNIQUE constraint (no race);
 * binding the same pair again is idempotent. The BOUND event is published after the row is
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

  BindingService(
      OwnershipVerifier verifier,
      BindingRepository repository,
      EventPublisher publisher,
      RegistrationPrepay prepay,
      Clock clock) {
    this.verifier = verifier;
    this.repository = repository;
    this.publisher = publisher;
    this.prepay = prepay;
    this.clock = clock;
  }

  /**
   * @throws com.reservebtc.oracle.ownership.OwnershipRejectedException if the proof is not valid
   * @throws BindingConflictException if the Bitcoin address is bound to another EVM address
   */
  BindingOutcome bind(OwnershipClaim claim) {
    VerifiedOwnership ownership = verifier.verify(claim);
    var inserted = repository.insertIfAbsent(ownership, clock.instant());
    if (inserted.isEmpty()) {
      Binding existing =
          repository
              .findByBtcAddress(ownership.btcAddress().text())
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "binding of " + ownership.btcAddress() + " conflicted but is not found"));
      if (!existing.ethAddress().equals(ownership.ethAddress())) {
        throw new BindingConflictException(ownership.btcAddress().text());
      }
      return new BindingOutcome(existing, false, null);
    }
    Binding binding = inserted.get();
    log.info(
        "Bound {} ({}) to {} by {}",
        binding.btcAddress(),
        binding.network(),
        binding.ethAddress(),
        binding.signatureScheme());
    publish(binding);
    String prepayTx = prepay.afterNewBinding(ownership);
    return new BindingOutcome(binding, true, prepayTx);
  }

  /**
   * Removes the binding of {@code btcAddress} if {@code message} is a valid {@link UnbindMessage}
   * for it, signed by the Bitcoin address's key, then publishes UNBOUND.
   *
   * @throws com.reservebtc.oracle.ownership.OwnershipRejectedException if the request or its
   *     signature is not valid
   * @throws BindingNotFoundException if the address is not bound
   */
  Unbinding unbind(String btcAddress, String message, String signature) {
    BtcNetwork network = verifier.network();
    BtcAddress address = BtcAddress.parse(btcAddress, network);
    UnbindMessage request = UnbindMessage.parse(message, network);
    Binding binding =
        repository
            .findByBtcAddress(address.text())
            .orElseThrow(() -> new BindingNotFoundException(address.text()));
    request.requireValidFor(
        binding.ethAddress(), address.text(), binding.messageTimestamp(), clock.instant());
    SignatureScheme scheme = verifier.verifySignature(address, message, signature);
    Unbinding unbinding =
        repository
            .unbind(
                address.text(),
                binding.ethAddress(),
                message,
                signature.trim(),
                scheme.name(),
                request.timestamp(),
                clock.instant())
            .orElseThrow(() -> new BindingNotFoundException(address.text()));
    log.info(
        "Unbound {} from {} by {}", unbinding.btcAddress(), unbinding.ethAddress(), scheme.name());
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
