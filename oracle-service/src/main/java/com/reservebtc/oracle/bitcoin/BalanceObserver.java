package com.reservebtc.oracle.bitcoin;

import com.reservebtc.oracle.bitcoin.AddressObservation.Disagreement;
import com.reservebtc.oracle.bitcoin.AddressObservation.Failed;
import com.reservebtc.oracle.bitcoin.AddressObservation.Observed;
import com.reservebtc.oracle.bitcoin.EsploraSource.AddressTotals;
import com.reservebtc.oracle.bitcoin.EsploraSource.TxEffect;
import com.reservebtc.oracle.ownership.BtcNetwork;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import tools.jackson.databind.json.JsonMapper;

/**
 * Observes Bitcoin balances on the configured Esplora sources and accepts one only when a quorum of
 * healthy sources agrees on it.
 *
 * <p>The balance of an address is its balance as of block {@code A = H − min-confirmations + 1},
 * where {@code H} is the lowest tip among the sources used: outputs <em>and spends</em> count only
 * once confirmed that deep ({@code chain_stats} totals less what transactions above {@code A} did).
 * So a spend in the mempool or in a shallow block never lowers a balance (it is reported as {@code
 * pendingSpentSats}, a warning for the user), and sources a block or two apart agree, because they
 * are compared at a height both have.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>Agreement: at least {@code quorum} sources must report the same hash for block {@code A}
 *       and the same balance as of it; fewer answering sources make the address {@link Failed},
 *       answering sources that do not reach the quorum make it a {@link Disagreement}. Never a
 *       default value.
 *   <li>Consistency: each chunk of addresses is bracketed by tip reads; a source whose tip moved
 *       while it answered is read again (once), then the chunk is {@link Failed}.
 *   <li>Health: a source is used only after its genesis block proved it serves the configured
 *       network (checked at start by {@link #verifyNetworks()} and every {@code
 *       network-check-interval}); a source whose tip regresses more than {@code max-tip-regression}
 *       blocks, or stays behind another source's tip without moving for {@code stall-timeout}, is
 *       excluded until it recovers. Each exclusion, readmission and the start and end of a
 *       disagreement on the block is raised once to the {@link SourceAlert.Listener}.
 *   <li>Redaction: sources are named by alias in every reason, alert and metric.
 * </ul>
 *
 * <p>Not thread-safe: {@link #observe} is called by one thread (the sync cycle), which it blocks
 * while a bounded pool of its own (closed by {@link #close()}) runs the requests.
 */
public final class BalanceObserver implements AutoCloseable {

  static final int CHUNK_SIZE = 200;
  private static final int CHUNK_ATTEMPTS = 2;

  private final List<Health> sources;
  private final BtcNetwork network;
  private final int quorum;
  private final int minConfirmations;
  private final int maxTipRegression;
  private final Duration stallTimeout;
  private final Duration networkCheckInterval;
  private final SourceAlert.Listener alerts;
  private final Clock clock;
  private final ExecutorService pool;
  private String disagreement;

  /**
   * @param meters receives {@code rbtc.oracle.esplora.request} (latency of every HTTP request, by
   *     source alias, endpoint and outcome) and {@code rbtc.oracle.source.usable} (1 while a source
   *     is used, by alias)
   */
  public BalanceObserver(
      BitcoinProperties properties,
      JsonMapper json,
      MeterRegistry meters,
      SourceAlert.Listener alerts,
      Clock clock) {
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(properties.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    List<Health> health = new ArrayList<>();
    for (BitcoinProperties.Source source : properties.configuredSources()) {
      Health h =
          new Health(
              new EsploraSource(
                  source.alias(),
                  source.url(),
                  http,
                  json,
                  properties.requestTimeout(),
                  properties.rateLimitRetries(),
                  properties.maxRetryAfter(),
                  meters));
      Gauge.builder("rbtc.oracle.source.usable", h, x -> x.usable() ? 1 : 0)
          .description("1 while the Bitcoin source is used to observe balances, 0 while excluded")
          .tag("source", source.alias())
          .register(meters);
      health.add(h);
    }
    this.sources = List.copyOf(health);
    this.network = properties.network();
    this.quorum = properties.requiredAgreement();
    this.minConfirmations = properties.minConfirmations();
    this.maxTipRegression = properties.maxTipRegression();
    this.stallTimeout = properties.stallTimeout();
    this.networkCheckInterval = properties.networkCheckInterval();
    this.alerts = alerts;
    this.clock = clock;
    AtomicInteger threads = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            properties.maxConcurrentRequests(),
            r -> {
              Thread t = new Thread(r, "esplora-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** The aliases of the sources, in configuration order. */
  public List<String> sourceNames() {
    return sources.stream().map(h -> h.source.alias()).toList();
  }

  public int minConfirmations() {
    return minConfirmations;
  }

  public int quorum() {
    return quorum;
  }

  /**
   * Checks every source's genesis block against the configured network. A source that is not
   * reachable stays unverified (and unused) until a later check succeeds.
   *
   * @throws IllegalStateException naming the alias and the network the source serves, if one serves
   *     another chain: a misconfiguration, not a transient fault
   */
  public void verifyNetworks() {
    List<String> wrong = new ArrayList<>();
    for (Health h : sources) {
      checkNetwork(h);
      if (h.wrongNetwork != null) {
        wrong.add(h.wrongNetwork);
      }
    }
    if (!wrong.isEmpty()) {
      throw new IllegalStateException(String.join("; ", wrong));
    }
  }

  /** One observation per distinct address, in the order given. */
  public Map<String, AddressObservation> observe(Collection<String> addresses) {
    List<String> distinct = addresses.stream().distinct().toList();
    Map<String, AddressObservation> result = new LinkedHashMap<>();
    refreshHealth();
    for (int from = 0; from < distinct.size(); from += CHUNK_SIZE) {
      List<String> chunk = distinct.subList(from, Math.min(distinct.size(), from + CHUNK_SIZE));
      result.putAll(observeChunk(chunk));
    }
    return result;
  }

  // ---- health --------------------------------------------------------------------------------

  /** Network checks that are due, then the tip rules (regression, stall) over fresh tips. */
  private void refreshHealth() {
    Instant now = clock.instant();
    for (Health h : sources) {
      if (h.networkCheckedAt == null
          || !h.networkVerified
          || Duration.between(h.networkCheckedAt, now).compareTo(networkCheckInterval) >= 0) {
        checkNetwork(h);
      }
    }
    Map<Health, BitcoinBlock> tips =
        readTips(sources.stream().filter(h -> h.networkVerified).toList());
    long highest = tips.values().stream().mapToLong(BitcoinBlock::height).max().orElse(-1);
    for (Map.Entry<Health, BitcoinBlock> entry : tips.entrySet()) {
      applyTipRules(entry.getKey(), entry.getValue(), highest, now);
    }
  }

  private void checkNetwork(Health h) {
    Instant now = clock.instant();
    String genesis;
    try {
      genesis = h.source.hashAt(0);
    } catch (EsploraException e) {
      h.networkCheckedAt = now;
      if (!h.networkVerified) {
        exclude(
            h,
            Exclusion.UNVERIFIED,
            "its network could not be checked yet (" + e.getMessage() + ")");
      }
      return;
    }
    h.networkCheckedAt = now;
    if (genesis.equals(network.genesisHash())) {
      h.networkVerified = true;
      h.wrongNetwork = null;
      if (h.exclusion == Exclusion.UNVERIFIED || h.exclusion == Exclusion.WRONG_NETWORK) {
        readmit(h);
      }
      return;
    }
    h.networkVerified = false;
    String serves =
        BtcNetwork.ofGenesisHash(genesis)
            .map(BtcNetwork::id)
            .orElse("an unknown chain (genesis " + genesis + ")");
    h.wrongNetwork =
        "Bitcoin source '"
            + h.source.alias()
            + "' serves "
            + serves
            + ", but this oracle is configured for "
            + network.id()
            + " (rbtc.bitcoin.network): point it at a "
            + network.id()
            + " Esplora or remove it";
    exclude(h, Exclusion.WRONG_NETWORK, h.wrongNetwork);
  }

  private void applyTipRules(Health h, BitcoinBlock tip, long highest, Instant now) {
    boolean moved = h.lastTip == null || !h.lastTip.equals(tip);
    if (moved) {
      h.lastTip = tip;
      h.tipChangedAt = now;
    }
    h.highestTip = Math.max(h.highestTip, tip.height());
    boolean regressed = tip.height() < h.highestTip - maxTipRegression;
    if (tip.height() < highest) {
      if (h.behindSince == null) {
        h.behindSince = now;
      }
    } else {
      h.behindSince = null;
    }
    boolean stalled =
        h.behindSince != null
            && Duration.between(later(h.behindSince, h.tipChangedAt), now).compareTo(stallTimeout)
                > 0;
    if (regressed) {
      exclude(
          h,
          Exclusion.REGRESSED,
          "its tip fell to "
              + tip.height()
              + ", more than "
              + maxTipRegression
              + " blocks below the "
              + h.highestTip
              + " it reported before");
    } else if (stalled) {
      exclude(
          h,
          Exclusion.STALLED,
          "stalled: its tip has stayed at "
              + tip.height()
              + " for more than "
              + stallTimeout
              + " while another source is at "
              + highest);
    } else if (h.exclusion == Exclusion.REGRESSED || (h.exclusion == Exclusion.STALLED && moved)) {
      readmit(h);
    }
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  /** Excludes the source; alerts when it becomes excluded or is excluded for another kind. */
  private void exclude(Health h, Exclusion kind, String reason) {
    h.exclusionReason = reason;
    if (h.exclusion == kind) {
      return;
    }
    h.exclusion = kind;
    alerts.alert(
        new SourceAlert(
            SourceAlert.Kind.SOURCE_EXCLUDED,
            h.source.alias(),
            "Bitcoin source '" + h.source.alias() + "' is excluded: " + reason));
  }

  private void readmit(Health h) {
    if (h.exclusion == null) {
      return;
    }
    h.exclusion = null;
    h.exclusionReason = null;
    alerts.alert(
        new SourceAlert(
            SourceAlert.Kind.SOURCE_READMITTED,
            h.source.alias(),
            "Bitcoin source '" + h.source.alias() + "' is used again"));
  }

  // ---- observation ---------------------------------------------------------------------------

  private Map<String, AddressObservation> observeChunk(List<String> chunk) {
    for (int attempt = 0; attempt < CHUNK_ATTEMPTS; attempt++) {
      Round round = round();
      if (round.problem() != null) {
        return allWith(chunk, round.asOf(), round.problem());
      }
      Map<Health, Map<String, Reading>> readings = readBalances(chunk, round);
      Map<Health, BitcoinBlock> after = readTips(round.tips().keySet());
      List<Health> steady =
          round.tips().keySet().stream()
              .filter(h -> round.tips().get(h).equals(after.get(h)))
              .toList();
      if (steady.size() == round.tips().size() || attempt == CHUNK_ATTEMPTS - 1) {
        readings.keySet().retainAll(steady);
        return decide(chunk, round, readings);
      }
    }
    throw new IllegalStateException("unreachable");
  }

  /**
   * The sources to use for one chunk, the block {@code A} balances are read as of, and the group of
   * at least {@code quorum} sources that agree on its hash.
   */
  private Round round() {
    List<Health> usable = sources.stream().filter(Health::usable).toList();
    Map<Health, BitcoinBlock> tips = readTips(usable);
    if (tips.size() < quorum) {
      String failures =
          usable.stream()
              .filter(h -> !tips.containsKey(h))
              .map(h -> h.lastFailure)
              .collect(Collectors.joining("; "));
      return Round.problem(
          null,
          false,
          tips.size()
              + " of "
              + sources.size()
              + " Bitcoin sources are usable and answered, "
              + quorum
              + " must agree"
              + (failures.isEmpty() ? "" : ": " + failures)
              + excludedNote());
    }
    long common = tips.values().stream().mapToLong(BitcoinBlock::height).min().orElseThrow();
    long asOfHeight = common - minConfirmations + 1;
    if (asOfHeight < 0) {
      return Round.problem(
          null,
          false,
          "the Bitcoin chain is "
              + (common + 1)
              + " blocks long, shorter than min-confirmations "
              + minConfirmations);
    }
    Map<Health, String> hashes = read(tips.keySet(), h -> h.source.hashAt(asOfHeight));
    Map<String, List<Health>> byHash = new LinkedHashMap<>();
    hashes.forEach((h, hash) -> byHash.computeIfAbsent(hash, k -> new ArrayList<>()).add(h));
    Optional<Map.Entry<String, List<Health>>> best =
        byHash.entrySet().stream().max(Comparator.comparingInt(e -> e.getValue().size()));
    if (best.isEmpty() || best.get().getValue().size() < quorum) {
      if (hashes.size() < quorum) {
        return Round.problem(
            null,
            false,
            hashes.size()
                + " Bitcoin sources answered for block "
                + asOfHeight
                + ", "
                + quorum
                + " must agree");
      }
      String detail =
          "no "
              + quorum
              + " Bitcoin sources agree on block "
              + asOfHeight
              + ": "
              + byHash.entrySet().stream()
                  .map(
                      e ->
                          e.getValue().stream()
                                  .map(h -> h.source.alias())
                                  .collect(Collectors.joining("+"))
                              + " at "
                              + e.getKey().substring(0, 16)
                              + "…")
                  .collect(Collectors.joining(", "));
      startDisagreement(detail);
      return Round.problem(null, true, detail);
    }
    endDisagreement();
    Map<Health, BitcoinBlock> agreeing = new LinkedHashMap<>();
    for (Health h : best.get().getValue()) {
      agreeing.put(h, tips.get(h));
    }
    return new Round(new BitcoinBlock(asOfHeight, best.get().getKey()), agreeing, null);
  }

  private String excludedNote() {
    String excluded =
        sources.stream()
            .filter(h -> !h.usable())
            .map(h -> h.source.alias() + " (" + h.exclusionReason + ")")
            .collect(Collectors.joining(", "));
    return excluded.isEmpty() ? "" : "; excluded: " + excluded;
  }

  private void startDisagreement(String detail) {
    if (disagreement == null) {
      alerts.alert(new SourceAlert(SourceAlert.Kind.SOURCES_DISAGREE, null, detail));
    }
    disagreement = detail;
  }

  private void endDisagreement() {
    if (disagreement != null) {
      disagreement = null;
      alerts.alert(
          new SourceAlert(
              SourceAlert.Kind.SOURCES_AGREE,
              null,
              "a quorum of Bitcoin sources agrees again on the block balances are read at"));
    }
  }

  /** Every source of the round reads every address of the chunk, in parallel. */
  private Map<Health, Map<String, Reading>> readBalances(List<String> chunk, Round round) {
    Map<Health, Map<String, Future<SourceBalance>>> pending = new LinkedHashMap<>();
    round
        .tips()
        .forEach(
            (h, tip) -> {
              Map<String, Future<SourceBalance>> perAddress = new LinkedHashMap<>();
              for (String address : chunk) {
                perAddress.put(
                    address, pool.submit(() -> balance(h.source, address, round.asOf(), tip)));
              }
              pending.put(h, perAddress);
            });
    Map<Health, Map<String, Reading>> readings = new LinkedHashMap<>();
    pending.forEach(
        (h, perAddress) -> {
          Map<String, Reading> results = new LinkedHashMap<>();
          perAddress.forEach((address, future) -> results.put(address, await(future)));
          readings.put(h, results);
        });
    return readings;
  }

  /**
   * The address's balance as of {@code asOf} on one source: its confirmed totals at the source's
   * tip, less what confirmed transactions above {@code asOf} received and spent.
   */
  private static SourceBalance balance(
      EsploraSource source, String address, BitcoinBlock asOf, BitcoinBlock tip)
      throws EsploraException {
    AddressTotals totals = source.totals(address);
    long laterReceived = 0;
    long laterSpent = 0;
    if (tip.height() > asOf.height() && totals.chainTxCount() > 0) {
      for (TxEffect effect : source.confirmedAbove(address, asOf.height())) {
        laterReceived += effect.received();
        laterSpent += effect.spent();
      }
    }
    long atTip = totals.chainFunded() - totals.chainSpent();
    long balance = atTip - laterReceived + laterSpent;
    if (atTip < 0 || balance < 0) {
      throw new EsploraException(
          EsploraException.Kind.MALFORMED,
          "source '" + source.alias() + "' reports a negative balance for " + address);
    }
    return new SourceBalance(
        balance, totals.mempoolSpent() + laterSpent, totals.mempoolFunded() + laterReceived);
  }

  /** A quorum of the round's steady sources must report the same balance. */
  private Map<String, AddressObservation> decide(
      List<String> chunk, Round round, Map<Health, Map<String, Reading>> readings) {
    Map<String, AddressObservation> result = new LinkedHashMap<>();
    for (String address : chunk) {
      Map<Long, List<Health>> byBalance = new LinkedHashMap<>();
      Map<Health, SourceBalance> answers = new LinkedHashMap<>();
      String failure = null;
      for (Map.Entry<Health, Map<String, Reading>> entry : readings.entrySet()) {
        Reading reading = entry.getValue().get(address);
        if (reading.balance() != null) {
          answers.put(entry.getKey(), reading.balance());
          byBalance
              .computeIfAbsent(reading.balance().confirmed(), k -> new ArrayList<>())
              .add(entry.getKey());
        } else if (failure == null) {
          failure = reading.failure();
        }
      }
      if (readings.size() < round.tips().size() && failure == null) {
        failure = "a Bitcoin source's tip moved while balances were read; retried next cycle";
      }
      Optional<Map.Entry<Long, List<Health>>> best =
          byBalance.entrySet().stream().max(Comparator.comparingInt(e -> e.getValue().size()));
      if (best.isPresent() && best.get().getValue().size() >= quorum) {
        List<Health> voters = best.get().getValue();
        result.put(
            address,
            new Observed(
                address,
                round.asOf(),
                best.get().getKey(),
                voters.stream().mapToLong(h -> answers.get(h).pendingSpent()).max().orElse(0),
                voters.stream().mapToLong(h -> answers.get(h).pendingReceived()).min().orElse(0),
                voters.stream().map(h -> h.source.alias()).toList()));
      } else if (answers.size() >= quorum) {
        result.put(
            address,
            new Disagreement(
                address,
                round.asOf(),
                "Bitcoin sources report different balances as of block "
                    + round.asOf().height()
                    + ": "
                    + answers.entrySet().stream()
                        .map(e -> e.getKey().source.alias() + "=" + e.getValue().confirmed())
                        .collect(Collectors.joining(", "))));
      } else {
        result.put(
            address,
            new Failed(
                address,
                round.asOf(),
                answers.size()
                    + " of "
                    + quorum
                    + " required Bitcoin sources answered: "
                    + (failure == null ? "no answer" : failure)));
      }
    }
    return result;
  }

  private Map<Health, BitcoinBlock> readTips(Collection<Health> from) {
    return read(from, h -> h.source.tip());
  }

  /** Runs {@code call} on each source in parallel; sources that fail are left out. */
  private <T> Map<Health, T> read(Collection<Health> from, SourceCall<T> call) {
    Map<Health, Future<T>> futures = new LinkedHashMap<>();
    for (Health h : from) {
      Callable<T> task = () -> call.apply(h);
      futures.put(h, pool.submit(task));
    }
    Map<Health, T> results = new LinkedHashMap<>();
    futures.forEach(
        (h, future) -> {
          try {
            results.put(h, future.get());
          } catch (ExecutionException e) {
            h.lastFailure = e.getCause().getMessage();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    return results;
  }

  private static Reading await(Future<SourceBalance> future) {
    try {
      return new Reading(future.get(), null);
    } catch (ExecutionException e) {
      return new Reading(null, e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Reading(null, "interrupted");
    }
  }

  private static Map<String, AddressObservation> allWith(
      List<String> chunk, BitcoinBlock asOf, Problem problem) {
    Map<String, AddressObservation> result = new LinkedHashMap<>();
    for (String address : chunk) {
      result.put(
          address,
          problem.disagreement()
              ? new Disagreement(address, asOf, problem.detail())
              : new Failed(address, asOf, problem.detail()));
    }
    return result;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }

  @FunctionalInterface
  private interface SourceCall<T> {
    T apply(Health h) throws EsploraException;
  }

  /** What one source says of one address as of the round's block. */
  private record SourceBalance(long confirmed, long pendingSpent, long pendingReceived) {}

  private record Reading(SourceBalance balance, String failure) {}

  private record Problem(boolean disagreement, String detail) {}

  /**
   * @param asOf the block balances are read as of
   * @param tips the sources that agree on its hash, with the tips they reported
   * @param problem why no balance can be read this round, or null
   */
  private record Round(BitcoinBlock asOf, Map<Health, BitcoinBlock> tips, Problem problem) {

    static Round problem(BitcoinBlock asOf, boolean disagreement, String detail) {
      return new Round(asOf, Map.of(), new Problem(disagreement, detail));
    }
  }

  /** What the observer knows about one source between cycles. Touched by the observing thread. */
  private static final class Health {
    final EsploraSource source;
    boolean networkVerified;
    Instant networkCheckedAt;
    String wrongNetwork;
    volatile Exclusion exclusion;
    String exclusionReason;
    long highestTip = -1;
    BitcoinBlock lastTip;
    Instant tipChangedAt;
    Instant behindSince;
    volatile String lastFailure;

    Health(EsploraSource source) {
      this.source = source;
    }

    boolean usable() {
      return networkVerified && exclusion == null;
    }
  }

  /** Why a source is not used. */
  private enum Exclusion {
    UNVERIFIED,
    WRONG_NETWORK,
    REGRESSED,
    STALLED
  }
}
