package com.reservebtc.esplora;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory Bitcoin chain served over an Esplora-compatible REST API, with dev controls to fund,
 * spend, mine, reorg and inject faults. Embeddable in tests ({@code new
 * EsploraSimulator(SimulatorConfig.defaults()).start()} listens on a free loopback port) and
 * runnable on its own ({@link EsploraSimulatorMain}).
 *
 * <p>Guarantees: the chain exists from construction (loaded from the state file if one is
 * configured and present), so the Java controls work before and after {@link #start()}; every
 * change is saved to the state file before it is acknowledged; {@link #close()} stops the server
 * and its threads and is idempotent. The HTTP API is described in {@link EsploraRoutes} and {@link
 * DevRoutes}.
 *
 * <p>Not guaranteed: anything about proof of work, scripts or signatures; the dev controls are
 * unauthenticated, which is why the default bind address is loopback.
 */
public final class EsploraSimulator implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(EsploraSimulator.class.getName());

  static {
    // The JDK server writes headers and body as separate segments; with Nagle's algorithm on, the
    // body waits for the client's delayed ACK and every answer takes ~40 ms instead of < 1 ms.
    // The property is read once, when the JDK server classes load, so it must be set before the
    // first HttpServer of the JVM is created; an explicit setting by the application wins.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final SimulatorConfig config;
  private final ChainState chain;
  private final FaultInjector faults = new FaultInjector();
  private final DevControls controls;
  private final EsploraRoutes esploraRoutes;
  private final DevRoutes devRoutes;

  private HttpServer server;
  private ExecutorService workers;
  private ScheduledExecutorService scheduler;
  private boolean closed;

  /** A regtest simulator on a free loopback port, in memory only. */
  public EsploraSimulator() {
    this(SimulatorConfig.defaults());
  }

  /**
   * Creates the chain (or loads it from {@code config.stateFile()}); does not listen yet.
   *
   * @throws IllegalStateException if the state file exists but cannot be used
   */
  public EsploraSimulator(SimulatorConfig config) {
    this.config = config;
    AddressValidator addresses = new AddressValidator(config.network());
    StateFile stateFile = config.stateFile() == null ? null : new StateFile(config.stateFile());
    this.chain =
        stateFile == null
            ? ChainState.genesis(config.network(), config.clock())
            : stateFile
                .load()
                .map(snapshot -> ChainState.restore(snapshot, config.network(), config.clock()))
                .orElseGet(() -> ChainState.genesis(config.network(), config.clock()));
    if (stateFile != null) {
      stateFile.write(chain.snapshot());
    }
    this.controls = new DevControls(chain, addresses, faults, stateFile);
    this.esploraRoutes = new EsploraRoutes(chain, addresses);
    this.devRoutes = new DevRoutes(controls);
  }

  /** Starts listening on the configured port ({@code 0} = a free one). */
  public EsploraSimulator start() {
    return start(config.port());
  }

  /** Starts listening on {@code port} ({@code 0} = a free one), overriding the configured port. */
  public synchronized EsploraSimulator start(int port) {
    if (closed) {
      throw new IllegalStateException("simulator was closed; create a new one");
    }
    if (server != null) {
      throw new IllegalStateException("simulator already listening on " + baseUrl());
    }
    try {
      HttpServer created =
          HttpServer.create(
              new InetSocketAddress(InetAddress.getByName(config.bindAddress()), port), 128);
      workers = Executors.newFixedThreadPool(config.httpThreads(), daemonThreads("esplora-http"));
      scheduler = Executors.newSingleThreadScheduledExecutor(daemonThreads("esplora-delay"));
      created.setExecutor(workers);
      created.createContext(
          "/",
          new RequestDispatcher(
              esploraRoutes, devRoutes, faults, scheduler, workers, config.access()));
      created.start();
      server = created;
    } catch (IOException e) {
      shutdownExecutors();
      throw new UncheckedIOException(
          "cannot listen on " + config.bindAddress() + ":" + port + ": " + e.getMessage(), e);
    }
    BlockRef tip = chain.tip();
    LOG.log(
        Level.INFO,
        () ->
            "Esplora simulator ("
                + config.network().id()
                + ") listening on "
                + baseUrl()
                + ", tip "
                + tip.height()
                + " "
                + tip.hash()
                + (config.stateFile() == null
                    ? ", in memory"
                    : ", state file " + config.stateFile()));
    return this;
  }

  /** The port actually listened on. */
  public synchronized int port() {
    if (server == null) {
      throw new IllegalStateException("simulator is not listening; call start() first");
    }
    return server.getAddress().getPort();
  }

  /** {@code http://host:port} without a trailing slash, the value for an Esplora base URL. */
  public synchronized String baseUrl() {
    String host = server == null ? config.bindAddress() : hostOf(server.getAddress());
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0")) {
      host = "127.0.0.1";
    }
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + port();
  }

  public synchronized boolean isRunning() {
    return server != null;
  }

  public SimulatorConfig config() {
    return config;
  }

  /** Stops listening and releases the threads; pending delayed answers are abandoned. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (server != null) {
      server.stop(0);
      server = null;
      LOG.log(Level.INFO, "Esplora simulator stopped");
    }
    shutdownExecutors();
  }

  // ---- dev controls, the same as over HTTP ------------------------------------------------

  /** Pays {@code sats} to {@code address} from the faucet in a new mempool transaction. */
  public String fund(String address, long sats) {
    return controls.fund(List.of(new DevControls.Payment(address, sats)));
  }

  /** One mempool transaction with an output per entry (bulk set-up). */
  public String fund(Map<String, Long> satsByAddress) {
    List<DevControls.Payment> payments = new ArrayList<>();
    satsByAddress.forEach((address, sats) -> payments.add(new DevControls.Payment(address, sats)));
    return controls.fund(payments);
  }

  /** Spends {@code sats} of {@code address}'s confirmed outputs to the sink, change back. */
  public String spend(String address, long sats) {
    return controls.spend(address, sats, null, 0);
  }

  /**
   * Spends {@code sats} of {@code from}'s confirmed outputs to {@code to} paying {@code feeSats}.
   */
  public String spend(String from, long sats, String to, long feeSats) {
    return controls.spend(from, sats, to, feeSats);
  }

  /** Mines blocks; the first confirms the whole mempool. */
  public BlockRef mine(int blocks) {
    return controls.mine(blocks, null);
  }

  /** Mines blocks whose coinbases pay {@code coinbaseAddress}. */
  public BlockRef mine(int blocks, String coinbaseAddress) {
    return controls.mine(blocks, coinbaseAddress);
  }

  /** Replaces the last {@code depth} blocks with {@code depth + 1} new ones, re-confirming txs. */
  public ReorgResult reorg(int depth) {
    return controls.reorg(depth, null, List.of(), false, null);
  }

  /** The full reorg control; see {@link DevRoutes} for the meaning of each argument. */
  public ReorgResult reorg(
      int depth, int newBlocks, Collection<String> dropTxids, boolean keepInMempool) {
    return controls.reorg(depth, newBlocks, dropTxids, keepInMempool, null);
  }

  /** Makes matching Esplora GETs misbehave until replaced or used up. */
  public FaultRule setFault(FaultRule rule) {
    return controls.setFault(rule);
  }

  public void clearFault() {
    controls.setFault(FaultRule.none());
  }

  public BlockRef tip() {
    return chain.tip();
  }

  public ChainSummary state() {
    return controls.state();
  }

  /** Where {@link #spend(String, long)} sends coins: an address no one can spend from. */
  public String sinkAddress() {
    return controls.sinkAddress();
  }

  private void shutdownExecutors() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    if (workers != null) {
      workers.shutdownNow();
      try {
        if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
          LOG.log(Level.WARNING, "HTTP worker threads did not stop within 5 s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static String hostOf(InetSocketAddress address) {
    return address.getAddress().getHostAddress();
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
