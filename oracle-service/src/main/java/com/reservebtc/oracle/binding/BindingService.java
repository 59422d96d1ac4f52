package com.reservebtc.oracle.binding;

import com.reservebtc.oracle.kafka.EventPublisher;
import com.reservebtc.oracle.ownership.OwnershipClaim;
import com.reservebtc.oracle.ownership.OwnershipVerifier;
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
 * Binds a Bitcoin address to an EVM address after verifying the ownership proof.
 *
 * <p>Guarantees: nothing is stored unless {@link OwnershipVerifier} accepted the claim; a Bitcoin
 * address bound to another EVM address is refused by the database's UNIQUE constraint (no race);
 * binding the same pair again is idempotent. The BOUND event is published after the row is
 * committed and the acknowledgement awaited; if that fails, {@link #republishUnpublished} sends it
 * later, so every binding is published at least once.
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
    if (!pending.isEmpty()) {
      log.info("Re-published {} binding events", pending.size());
    }
    return pending.size();
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
