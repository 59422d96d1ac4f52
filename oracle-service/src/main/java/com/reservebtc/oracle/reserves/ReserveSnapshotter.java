package com.reservebtc.oracle.reserves;

import com.reservebtc.oracle.binding.Binding;
import com.reservebtc.oracle.bitcoin.AddressObservation;
import com.reservebtc.oracle.bitcoin.BalanceObserver;
import com.reservebtc.oracle.bitcoin.BitcoinBlock;
import com.reservebtc.oracle.bitcoin.BitcoinProperties;
import com.reservebtc.oracle.chain.AggregatorClient;
import com.reservebtc.oracle.chain.ChainException;
import com.reservebtc.oracle.chain.ChainProperties;
import com.reservebtc.oracle.chain.SynthSupply;
import com.reservebtc.oracle.kafka.EventPublisher;
import com.reservebtc.oracle.ownership.BtcAddress;
import com.reservebtc.oracle.ownership.BtcNetwork;
import com.reservebtc.oracle.ownership.OwnershipRejectedException;
import com.reservebtc.reserves.verifier.LeafAddress;
import com.reservebtc.reserves.verifier.Statement;
import com.reservebtc.schemas.Keys;
import com.reservebtc.schemas.Topics;
import com.reservebtc.schemas.avro.ReserveAttestation;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Takes a proof-of-reserves snapshot after a sync cycle whose Bitcoin block is new: one salted leaf
 * per EVM address over its bound addresses' balances as of that block (the balances the cycle
 * synced with, so reserves follow the same rule as syncing), a Merkle-sum tree, rBTC-SYNTH's
 * totalSupply read at a named EVM block, and a statement naming the previous one, signed with the
 * attestation key; stored, then published as a ReserveAttestation.
 *
 * <p>Guarantees: a snapshot is taken only when every bound address was observed (all sources
 * agreeing) as of one and the same block, and only when the supply could be read — an incomplete
 * snapshot is never stored and a missing figure never becomes zero; the next cycle retries, since
 * the block is still new. Sequences are contiguous and each statement names its predecessor's hash
 * (one writer: the sync thread). A snapshot whose reserves differ from the supply is stored,
 * published and logged as a SHORTFALL or SURPLUS with the difference, and the gauge {@code
 * rbtc.reserves.backing.ratio} follows it. Not thread-safe: called by the sync thread only.
 */
@Component
public class ReserveSnapshotter {

  private static final Logger log = LoggerFactory.getLogger(ReserveSnapshotter.class);
  private static final HexFormat HEX = HexFormat.of();

  private final ReserveRepository repository;
  private final AggregatorClient aggregator;
  private final EventPublisher publisher;
  private final BalanceObserver observer;
  private final ReservesProperties properties;
  private final ObjectProvider<AttestationKey> key;
  private final BackingGauge gauge;
  private final String btcNetwork;
  private final long evmChainId;
  private final Timer timer;
  private final Clock clock;

  private String lastBlockHash;
  private boolean lastBlockLoaded;
  private String lastSkip;

  ReserveSnapshotter(
      ReserveRepository repository,
      AggregatorClient aggregator,
      EventPublisher publisher,
      BalanceObserver observer,
      ReservesProperties properties,
      ObjectProvider<AttestationKey> key,
      BackingGauge gauge,
      BitcoinProperties bitcoin,
      ChainProperties chain,
      MeterRegistry meters,
      Clock clock) {
    this.repository = repository;
    this.aggregator = aggregator;
    this.publisher = publisher;
    this.observer = observer;
    this.properties = properties;
    this.key = key;
    this.gauge = gauge;
    this.btcNetwork = bitcoin.network().id();
    this.evmChainId = chain.id();
    this.timer =
        Timer.builder("rbtc.reserves.snapshot")
            .description("Building, signing and storing one proof-of-reserves snapshot")
            .register(meters);
    this.clock = clock;
  }

  /**
   * Snapshots the reserves if this cycle's block is new and every address was observed.
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
    BitcoinBlock block = null;
    for (Binding binding : monitored) {
      AddressObservation observation = observed.get(binding.btcAddress());
      if (!(observation instanceof AddressObservation.Observed ok)) {
        return skip("not every bound address was observed this cycle");
      }
      if (block == null) {
        block = ok.asOf();
      } else if (!block.equals(ok.asOf())) {
        return skip("the Bitcoin tip moved during the cycle's observations");
      }
    }
    if (!lastBlockLoaded) {
      lastBlockHash = repository.latestBlockHash().orElse(null);
      lastBlockLoaded = true;
    }
    if (block.hash().equals(lastBlockHash)) {
      return Optional.empty();
    }

    Map<String, List<LeafAddress>> users = new LinkedHashMap<>();
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
      users
          .computeIfAbsent(binding.ethAddress(), k -> new ArrayList<>())
          .add(new LeafAddress(binding.btcAddress(), HEX.formatHex(script), sats));
    }

    SynthSupply supply;
    try {
      supply = aggregator.synthSupply();
    } catch (ChainException e) {
      return skip("rBTC-SYNTH totalSupply could not be read: " + e.getMessage());
    }
    long started = System.nanoTime();
    Optional<ReserveSnapshot> previous = repository.latest();
    SnapshotBuilder.Header header =
        new SnapshotBuilder.Header(
            previous.map(p -> p.statement().sequence() + 1).orElse(1L),
            previous.map(ReserveSnapshot::statementHash).orElse(Statement.NO_PREVIOUS),
            btcNetwork,
            block.height(),
            block.hash(),
            observer.minConfirmations(),
            evmChainId,
            supply.synth(),
            supply.totalSupply(),
            supply.blockNumber(),
            clock.instant());
    SnapshotBuilder.Built built = SnapshotBuilder.build(users, header, key.getObject());
    ReserveSnapshot snapshot =
        built.snapshot().withId(repository.insert(built.snapshot(), built.accounts()));
    timer.record(Duration.ofNanos(System.nanoTime() - started));
    lastBlockHash = block.hash();
    lastSkip = null;
    gauge.set(snapshot);
    report(snapshot);
    try {
      publish(snapshot);
    } catch (EventPublisher.PublishException e) {
      log.warn(
          "Reserve attestation #{} is stored but not yet published; it will be re-published: {}",
          snapshot.statement().sequence(),
          e.getMessage());
    }
    repository.pruneLeaves(properties.retainedLeafSnapshots());
    return Optional.of(snapshot);
  }

  private static void report(ReserveSnapshot snapshot) {
    Statement s = snapshot.statement();
    String line =
        "Proof of reserves #{} at Bitcoin {} {}: {} users, {} sats of reserves vs {} rBTC-SYNTH at"
            + " EVM block {}: {} (reserves - supply = {} sats, {} %), root {}, signed by {}";
    Object[] values = {
      s.sequence(),
      s.btcHeight(),
      s.btcBlockHash(),
      s.leafCount(),
      s.reservesSats(),
      s.synthTotalSupply(),
      s.evmBlock(),
      s.backing(),
      s.differenceSats(),
      s.backingPercent(),
      s.merkleRoot(),
      snapshot.signer()
    };
    if (s.backing() == Statement.Backing.MATCHED) {
      log.info(line, values);
    } else {
      log.warn(line, values);
    }
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
    Statement s = snapshot.statement();
    return ReserveAttestation.newBuilder()
        .setBtcHeight(s.btcHeight())
        .setBtcTipHash(s.btcBlockHash())
        .setMerkleRoot(s.merkleRoot())
        .setLeafCount(s.leafCount())
        .setTotalConfirmedSats(s.reservesSats())
        .setSynthTotalSupply(s.synthTotalSupply().toString())
        .setBackingRatio(s.backingPercent())
        .setCreatedAtMillis(s.created().toEpochMilli())
        .setEncoding(Statement.ENCODING)
        .setSequence(s.sequence())
        .setPreviousHash(s.previousHash())
        .setStatement(s.text())
        .setStatementHash(snapshot.statementHash())
        .setSignature(snapshot.signature())
        .setSigner(snapshot.signer())
        .setMinConfirmations(s.confirmations())
        .setSynthBlockNumber(s.evmBlock())
        .setDifferenceSats(s.differenceSats().toString())
        .build();
  }
}
