package com.reservebtc.oracle.reserves;

import com.reservebtc.oracle.binding.Binding;
import com.reservebtc.oracle.bitcoin.AddressObservation;
import com.reservebtc.oracle.bitcoin.BalanceObserver;
import com.reservebtc.oracle.bitcoin.BitcoinBlock;
import com.reservebtc.oracle.chain.AggregatorClient;
import com.reservebtc.oracle.chain.ChainException;
import com.reservebtc.oracle.chain.SynthSupply;
import com.reservebtc.oracle.kafka.EventPublisher;
import com.reservebtc.oracle.ownership.BtcAddress;
import com.reservebtc.oracle.ownership.BtcNetwork;
import com.reservebtc.oracle.ownership.OwnershipRejectedException;
import com.reservebtc.schemas.Keys;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.ReserveAttestation;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Takes a proof-of-reserves snapshot after a sync cycle whose Bitcoin tip differs from the last
 * snapshot's: one leaf per bound address with its confirmed balance, a Merkle root, Σ confirmed
 * sats against rBTC-SYNTH's on-chain totalSupply, stored and published as a ReserveAttestation.
 *
 * <p>Guarantees: a snapshot is taken only when every bound address was observed (all sources
 * agreeing) at one and the same tip, and only when the supply could be read — an incomplete
 * snapshot is never stored, and a missing figure is never replaced by zero; the cycle simply tries
 * again next time, since the tip is still new. The snapshot and its leaves are stored atomically
 * before the attestation is published; an unacknowledged attestation is re-published later. Does
 * not snapshot while no address is bound. Not thread-safe: called by the sync thread only.
 */
@Component
public class ReserveSnapshotter {

  private static final Logger log = LoggerFactory.getLogger(ReserveSnapshotter.class);

  private final ReserveRepository repository;
  private final AggregatorClient aggregator;
  private final EventPublisher publisher;
  private final BalanceObserver observer;
  private final ReservesProperties properties;
  private final Clock clock;

  private String lastTipHash;
  private boolean lastTipLoaded;
  private String lastSkip;

  ReserveSnapshotter(
      ReserveRepository repository,
      AggregatorClient aggregator,
      EventPublisher publisher,
      BalanceObserver observer,
      ReservesProperties properties,
      Clock clock) {
    this.repository = repository;
    this.aggregator = aggregator;
    this.publisher = publisher;
    this.observer = observer;
    this.properties = properties;
    this.clock = clock;
  }

  /**
   * Snapshots the reserves if this cycle's tip is new and complete.
   *
   * @param monitored the bindings the cycle observed
   * @param observed the cycle's observations by Bitcoin address
   * @return the stored snapshot, or empty if none was taken
   */
  public Optional<ReserveSnapshot> snapshotIfNewTip(
      List<Binding> monitored, Map<String, AddressObservation> observed) {
    if (!properties.enabled() || monitored.isEmpty()) {
      return Optional.empty();
    }
    BitcoinBlock tip = null;
    for (Binding binding : monitored) {
      AddressObservation observation = observed.get(binding.btcAddress());
      if (!(observation instanceof AddressObservation.Observed ok)) {
        return skip("not every bound address was observed this cycle");
      }
      if (tip == null) {
        tip = ok.asOf();
      } else if (!tip.equals(ok.asOf())) {
        return skip("the Bitcoin tip moved during the cycle's observations");
      }
    }
    if (!lastTipLoaded) {
      lastTipHash = repository.latest().map(ReserveSnapshot::btcTipHash).orElse(null);
      lastTipLoaded = true;
    }
    if (tip.hash().equals(lastTipHash)) {
      return Optional.empty();
    }

    List<ReserveLeaf> unsorted = new ArrayList<>(monitored.size());
    long total = 0;
    for (Binding binding : monitored) {
      long sats =
          ((AddressObservation.Observed) observed.get(binding.btcAddress())).confirmedSats();
      byte[] script;
      try {
        script =
            BtcAddress.parse(
                    binding.btcAddress(),
                    BtcNetwork.valueOf(binding.network().toUpperCase(Locale.ROOT)))
                .scriptPubKey();
      } catch (OwnershipRejectedException | IllegalArgumentException e) {
        return skip(
            "bound address " + binding.btcAddress() + " cannot be parsed: " + e.getMessage());
      }
      unsorted.add(
          ReserveLeaf.of(binding.ethAddress(), binding.btcAddress(), script, sats, tip.height()));
      total = Math.addExact(total, sats);
    }
    unsorted.sort(
        Comparator.comparing(ReserveLeaf::ethAddress).thenComparing(ReserveLeaf::scriptPubKey));
    List<ReserveLeaf> leaves = new ArrayList<>(unsorted.size());
    for (int i = 0; i < unsorted.size(); i++) {
      leaves.add(unsorted.get(i).withIndex(i));
    }
    MerkleTree tree = new MerkleTree(leaves.stream().map(ReserveLeaf::hashBytes).toList());

    SynthSupply supply;
    try {
      supply = aggregator.synthSupply();
    } catch (ChainException e) {
      return skip("rBTC-SYNTH totalSupply could not be read: " + e.getMessage());
    }
    ReserveSnapshot snapshot =
        new ReserveSnapshot(
            0,
            tip.height(),
            tip.hash(),
            tree.rootHex(),
            leaves.size(),
            total,
            supply.totalSupply(),
            supply.blockNumber(),
            BackingRatio.of(total, supply.totalSupply()),
            observer.minConfirmations(),
            clock.instant());
    snapshot = snapshot.withId(repository.insert(snapshot, leaves));
    lastTipHash = tip.hash();
    lastSkip = null;
    log.info(
        "Proof of reserves #{} at Bitcoin {} {}: {} addresses, {} sats confirmed vs {} rBTC-SYNTH"
            + " at block {} = {} %, root {}",
        snapshot.id(),
        snapshot.btcHeight(),
        snapshot.btcTipHash(),
        snapshot.leafCount(),
        snapshot.totalConfirmedSats(),
        snapshot.synthTotalSupply(),
        snapshot.synthBlockNumber(),
        snapshot.backingRatio(),
        snapshot.merkleRoot());
    try {
      publish(snapshot);
    } catch (EventPublisher.PublishException e) {
      log.warn(
          "Reserve snapshot #{} is stored but not yet published; it will be re-published: {}",
          snapshot.id(),
          e.getMessage());
    }
    repository.pruneLeaves(properties.retainedLeafSnapshots());
    return Optional.of(snapshot);
  }

  /** Publishes attestations stored more than {@code olderThan} ago but never acknowledged. */
  public int republishUnpublished(Duration olderThan) {
    List<ReserveSnapshot> pending = repository.unpublished(clock.instant().minus(olderThan));
    for (ReserveSnapshot snapshot : pending) {
      publish(snapshot);
    }
    if (!pending.isEmpty()) {
      log.info("Re-published {} reserve attestations", pending.size());
    }
    return pending.size();
  }

  private void publish(ReserveSnapshot snapshot) {
    publisher.publish(Topics.RESERVES_ATTESTATIONS, Keys.GLOBAL, toAvro(snapshot));
    repository.markPublished(snapshot.id(), clock.instant());
  }

  private Optional<ReserveSnapshot> skip(String reason) {
    if (!reason.equals(lastSkip)) {
      log.info("No proof-of-reserves snapshot this cycle: {}", reason);
      lastSkip = reason;
    }
    return Optional.empty();
  }

  static ReserveAttestation toAvro(ReserveSnapshot snapshot) {
    return ReserveAttestation.newBuilder()
        .setBtcHeight(snapshot.btcHeight())
        .setBtcTipHash(snapshot.btcTipHash())
        .setMerkleRoot(snapshot.merkleRoot())
        .setLeafCount(snapshot.leafCount())
        .setTotalConfirmedSats(snapshot.totalConfirmedSats())
        .setSynthTotalSupply(snapshot.synthTotalSupply().toString())
        .setBackingRatio(snapshot.backingRatio())
        .setCreatedAtMillis(snapshot.createdAt().toEpochMilli())
        .build();
  }
}
