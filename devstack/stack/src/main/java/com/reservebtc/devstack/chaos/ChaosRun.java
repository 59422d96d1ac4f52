package com.reservebtc.devstack.chaos;

import com.reservebtc.contracts.deploy.ProtocolDeployment;
import com.reservebtc.devstack.DevStack;
import com.reservebtc.devstack.RunningService;
import com.reservebtc.devstack.ServiceSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.web3j.abi.datatypes.Address;
import org.web3j.crypto.Credentials;

/**
 * One whole-stack fault test on a running {@link DevStack}: users bound and funded, the workload
 * running while the planned faults hit the components and the chain, then quiescence, the chain
 * frozen, and every read model compared with it.
 *
 * <p>Phases: set-up (bindings, funding, pool registrations, a 30-day jump of the chain's clock so
 * pool yield accrues to claimable amounts), chaos (workload + both fault timelines, until the chain
 * holds the target number of events and every planned fault happened), quiescence (every component
 * running, no protocol log for a while), freeze (interval mining paused; the indexer at the head),
 * verification (repeated until the read models equal the chain or the settle time is up; the last
 * comparison is reported).
 */
public final class ChaosRun {

  private static final BigInteger WALLET_ETH = BigInteger.TEN.pow(21);
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(15);
  private static final Duration INDEXER_TIMEOUT = Duration.ofSeconds(90);

  private final DevStack stack;
  private final ChaosOptions options;
  private final Journal journal;
  private final String command;
  private final JsonRpc rpc;
  private final AnvilControl anvil;
  private final ProtocolDeployment deployment;
  private final ProtocolCalls calls;
  private final IndexerWatch indexer;
  private final List<String> problems = new CopyOnWriteArrayList<>();
  private final List<Double> loadSamples = new CopyOnWriteArrayList<>();
  private final Map<String, Duration> phases = new LinkedHashMap<>();

  private ChaosRun(DevStack stack, ChaosOptions options, Journal journal, String command) {
    this.stack = stack;
    this.options = options;
    this.journal = journal;
    this.command = command;
    this.rpc = new JsonRpc(stack.rpcUrl());
    this.anvil = new AnvilControl(rpc);
    this.deployment = stack.deployment();
    this.calls = new ProtocolCalls(rpc, deployment);
    this.indexer = new IndexerWatch(() -> stack.serviceUrl(ServiceSpec.INDEXER.name()));
  }

  /**
   * Runs the fault test and returns its report; throws only if the harness itself cannot go on (the
   * stack unusable), never because of a mismatch.
   */
  public static ChaosReport run(
      DevStack stack, ChaosOptions options, PrintStream out, String command) {
    return new ChaosRun(stack, options, new Journal(out), command).run();
  }

  private ChaosReport run() {
    DevStack.IndexerFinality labels = stack.indexerFinality();
    FaultPlan plan = FaultPlan.draw(options, labels.confirmationDepth(), labels.finalizedDepth());
    journal.line("seed " + options.seed() + "; the fault plan:");
    plan.describe().forEach(line -> journal.line("  " + line));
    sampleLoad();

    long phase = System.nanoTime();
    List<ChaosUser> users = new ArrayList<>();
    for (int i = 0; i < options.users(); i++) {
      users.add(ChaosUser.derive(options.seed(), i));
    }
    Credentials sponsor = ChaosUser.sponsor(options.seed());
    UserTransactions transactions = new UserTransactions(anvil, stack.chainId());
    BitcoinControl bitcoin = new BitcoinControl(stack.esploraUrl());
    Workload workload =
        new Workload(users, deployment, calls, transactions, bitcoin, options.seed());
    setUp(users, sponsor, workload, labels.finalizedDepth());
    phases.put("set-up", since(phase));

    phase = System.nanoTime();
    ReentrantLock indexerLock = new ReentrantLock();
    ReentrantLock senders = new ReentrantLock();
    Random fill = new Random(options.seed() * 31 + 7);
    Runnable fillA =
        () -> {
          for (int i = 0; i < 2; i++) {
            ChaosUser user = users.get(fill.nextInt(users.size()));
            transactions.send(
                sponsor,
                deployment.feeVault(),
                BigInteger.TEN.pow(15).multiply(BigInteger.valueOf(1 + fill.nextInt(9))),
                "depositETH",
                new Address(user.address()));
          }
        };
    ChainFaults chainFaults =
        new ChainFaults(
            anvil,
            new FlipFlop(anvil, indexer, INDEXER_TIMEOUT, senders),
            journal,
            indexerLock,
            stack.chainId(),
            deployment,
            fillA);
    ComponentFaults componentFaults = new ComponentFaults(stack, journal, indexerLock);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger chainEvents = new AtomicInteger();
    CompletableFuture<Void> components =
        CompletableFuture.runAsync(() -> componentFaults.run(plan.components(), stop::get));
    CompletableFuture<Void> chain =
        CompletableFuture.runAsync(() -> chainFaults.run(plan.chain(), stop::get));
    long deadline = System.nanoTime() + options.maxRunTime().toNanos();
    long[] nextProgress = {System.nanoTime()};
    workload.run(
        options.actionsPerSecond(),
        () -> {
          if (System.nanoTime() >= nextProgress[0]) {
            nextProgress[0] += PROGRESS_EVERY.toNanos();
            chainEvents.set(countEvents());
            progress(chainEvents.get(), workload);
          }
          boolean faultsDone = components.isDone() && chain.isDone();
          if (faultsDone && chainEvents.get() >= options.targetEvents()) {
            return true;
          }
          if (System.nanoTime() > deadline) {
            problems.add(
                "the run stopped after "
                    + options.maxRunTime().toMinutes()
                    + " min with "
                    + chainEvents.get()
                    + " of "
                    + options.targetEvents()
                    + " chain events"
                    + (faultsDone ? "" : " and faults still planned"));
            return true;
          }
          return false;
        },
        senders);
    stop.set(true);
    await(components, "the components' faults");
    await(chain, "the chain's faults");
    phases.put("chaos", since(phase));
    journal.line("workload stopped: " + workload.sent() + " sent");
    journal.faults().stream()
        .filter(f -> !f.ok())
        .forEach(
            f ->
                problems.add(
                    "incomplete fault at "
                        + Journal.stamp(f.at())
                        + ": "
                        + f.kind()
                        + " "
                        + f.target()
                        + ": "
                        + f.detail()));
    if (chainFaults.flips() > 0 && chainFaults.flipsWithRepeatedHashes() < chainFaults.flips()) {
      problems.add(
          (chainFaults.flips() - chainFaults.flipsWithRepeatedHashes())
              + " A→B→A flips did not bring back the same block hashes");
    }

    phase = System.nanoTime();
    everythingRunning();
    bitcoin.mine();
    awaitQuiet();
    phases.put("quiescence", since(phase));

    phase = System.nanoTime();
    anvil.pauseMining();
    BlockInfo head = anvil.head();
    journal.line("chain frozen at block " + head.number() + " " + head.hash());
    if (!indexer.awaitTip(head.hash(), Duration.ofMinutes(3))) {
      problems.add(
          "the indexer did not publish the frozen head " + head.number() + " within 3 min");
    }
    ChainTruth truth = ChainTruth.read(rpc, stack.chainId(), deployment, head);
    ExpectedFinality finality = expectedFinality(labels, head);
    Verification verification =
        new Verification(
            truth,
            finality,
            calls,
            users,
            chainFaults.orphaned(),
            stack.postgresJdbcUrl(),
            stack.postgresUser(),
            stack.postgresPassword(),
            serviceUrls(),
            stack.kafkaBootstrapServers());
    Map<String, List<Mismatch>> mismatches = verify(verification);
    phases.put("verification", since(phase));
    sampleLoad();

    return new ChaosReport(
        options,
        command,
        journal.startedAt(),
        machine(),
        plan,
        deployment.deploymentBlock(),
        head.number(),
        head.hash(),
        finality,
        truth.countsByFamily(),
        chainFaults.orphaned().size(),
        ChaosReport.names(workload.sent()),
        ChaosReport.names(workload.skipped()),
        journal.faults(),
        phases,
        List.copyOf(problems),
        mismatches);
  }

  private void setUp(
      List<ChaosUser> users, Credentials sponsor, Workload workload, int finalizedDepth) {
    journal.line("setting up " + users.size() + " users (wallets, bindings, funding)");
    anvil.setBalance(sponsor.getAddress(), WALLET_ETH);
    for (ChaosUser user : users) {
      anvil.setBalance(user.address(), WALLET_ETH);
    }
    Bindings bindings = new Bindings(stack.serviceUrl(ServiceSpec.API_GATEWAY.name()));
    for (ChaosUser user : users) {
      try {
        bindings.bind(user);
      } catch (IOException e) {
        throw new ChaosException("binding " + user + " failed: " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ChaosException("interrupted", e);
      }
    }
    workload.fundEveryone();
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    int registered = 0;
    while (System.nanoTime() < deadline) {
      registered = 0;
      for (ChaosUser user : users) {
        if (calls.participant(user.address(), "latest").active()) {
          registered++;
        }
      }
      if (registered == users.size()) {
        break;
      }
      Pause.of(Duration.ofSeconds(1));
    }
    journal.line(registered + " of " + users.size() + " users joined the yield pool");
    if (registered == 0) {
      problems.add("no user joined the yield pool during set-up: pool events will be few");
    }
    // Yield accrues per second at a few basis points a year: a month makes claims non-zero.
    anvil.increaseTime(Duration.ofDays(30).toSeconds());
    // The faults start once the set-up is final, so no reorg takes the pool registrations away
    // (which would leave the run without pool activity, not test anything more).
    long finalAt = anvil.headNumber() + finalizedDepth + 1;
    while (anvil.headNumber() < finalAt) {
      Pause.of(Duration.ofMillis(500));
    }
  }

  private int countEvents() {
    try {
      long head = anvil.headNumber();
      return ChainTruth.logs(rpc, stack.chainId(), deployment, deployment.deploymentBlock(), head)
          .size();
    } catch (ChaosException e) {
      return 0;
    }
  }

  private void progress(int events, Workload workload) {
    sampleLoad();
    String tip = indexer.tip().map(t -> Long.toString(t.number())).orElse("down");
    int actions = workload.sent().values().stream().mapToInt(Integer::intValue).sum();
    journal.line(
        events
            + "/"
            + options.targetEvents()
            + " chain events, "
            + actions
            + " actions sent, "
            + journal.faults().size()
            + " faults done, head "
            + safeHead()
            + ", indexer at "
            + tip);
  }

  private String safeHead() {
    try {
      return Long.toString(anvil.headNumber());
    } catch (ChaosException e) {
      return "?";
    }
  }

  /** Restarts whatever is down after the chaos (a restart that failed earlier). */
  private void everythingRunning() {
    if (!stack.postgresRunning()) {
      journal.line("PostgreSQL is down after the chaos; starting it");
      stack.restartPostgres();
    }
    if (!stack.kafkaRunning()) {
      journal.line("Kafka is down after the chaos; starting it");
      stack.restartKafka();
    }
    for (RunningService service : stack.services()) {
      if (ProcessHandle.of(service.pid()).map(ProcessHandle::isAlive).orElse(false)) {
        continue;
      }
      journal.line(service.name() + " is down after the chaos; starting it");
      stack.restartService(service.name());
    }
  }

  /** Waits until no protocol log appeared for {@code quietBlocks} blocks. */
  private void awaitQuiet() {
    journal.line(
        "waiting for quiescence (" + options.quietBlocks() + " blocks without a protocol log)");
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (System.nanoTime() < deadline) {
      long head = anvil.headNumber();
      long from = head - options.quietBlocks() + 1;
      if (from > deployment.deploymentBlock()
          && ChainTruth.logs(rpc, stack.chainId(), deployment, from, head).isEmpty()) {
        journal.line("quiet at block " + head);
        return;
      }
      Pause.of(Duration.ofSeconds(1));
    }
    problems.add(
        "the chain never became quiet: protocol logs kept appearing for 5 min after the workload");
  }

  private ExpectedFinality expectedFinality(DevStack.IndexerFinality labels, BlockInfo head) {
    ExpectedFinality byDepth =
        ExpectedFinality.byDepth(
            head.number(), labels.confirmationDepth(), labels.finalizedDepth());
    if (!labels.nodeFinality()) {
      return byDepth;
    }
    long safe = anvil.blockByTag("safe").map(BlockInfo::number).orElse(byDepth.confirmedThrough());
    long finalized =
        anvil.blockByTag("finalized").map(BlockInfo::number).orElse(byDepth.finalizedThrough());
    return new ExpectedFinality(safe, finalized);
  }

  private Map<String, List<Mismatch>> verify(Verification v) {
    List<ReadModelCheck> checks =
        List.of(
            new GatewayTransactionsCheck(),
            new GatewayBalancesCheck(),
            new GatewayEmergencyBurnsCheck(),
            new GatewayDisputesCheck(),
            new GatewayYieldParticipantsCheck(),
            new EmergencyBurnsTableCheck(),
            new UserRiskCheck(),
            new YieldParticipantsCheck(),
            new YieldLedgerCheck(),
            new YieldTotalsCheck(),
            new YieldScalesStateCheck(),
            new DeadLetterCheck(),
            new NodeConsistencyCheck());
    long deadline = System.nanoTime() + options.settleTimeout().toNanos();
    int attempt = 0;
    while (true) {
      attempt++;
      Map<String, List<Mismatch>> result = new LinkedHashMap<>();
      for (ReadModelCheck check : checks) {
        try {
          result.put(check.readModel(), check.check(v));
        } catch (Exception e) {
          result.put(
              check.readModel(),
              List.of(new Mismatch(check.readModel(), "reading it", "an answer", "failed: " + e)));
        }
      }
      int count = result.values().stream().mapToInt(List::size).sum();
      journal.line("verification " + attempt + ": " + count + " mismatches " + counts(result));
      if (count == 0 || System.nanoTime() > deadline) {
        return result;
      }
      Pause.of(Duration.ofSeconds(5));
    }
  }

  private static Map<String, Integer> counts(Map<String, List<Mismatch>> result) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    result.forEach(
        (k, list) -> {
          if (!list.isEmpty()) {
            counts.put(k, list.size());
          }
        });
    return counts;
  }

  private Map<String, String> serviceUrls() {
    Map<String, String> urls = new LinkedHashMap<>();
    stack.services().forEach(s -> urls.put(s.name(), s.baseUrl()));
    return urls;
  }

  private void await(CompletableFuture<Void> timeline, String name) {
    try {
      timeline.join();
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      problems.add(name + " stopped early: " + cause.getMessage());
      journal.line(name + " stopped early: " + cause);
    }
  }

  private void sampleLoad() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      loadSamples.add(Double.parseDouble(parts[0]));
    } catch (IOException | RuntimeException e) {
      // not Linux: the report says the load was not sampled
    }
  }

  private ChaosReport.Machine machine() {
    long memory = -1;
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      memory = os.getTotalMemorySize() / (1024 * 1024);
    }
    return new ChaosReport.Machine(
        Runtime.getRuntime().availableProcessors(),
        memory,
        System.getProperty("os.name") + " " + System.getProperty("os.version"),
        System.getProperty("java.version"),
        List.copyOf(loadSamples));
  }

  private static Duration since(long nanos) {
    return Duration.ofNanos(System.nanoTime() - nanos);
  }
}
