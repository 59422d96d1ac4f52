package com.reservebtc.oracle.reserves;

import com.reservebtc.reserves.verifier.LeafAddress;
import com.reservebtc.reserves.verifier.ProofStep;
import com.reservebtc.reserves.verifier.Statement;
import com.reservebtc.reserves.verifier.SumLeaf;
import com.reservebtc.reserves.verifier.SumNode;
import com.reservebtc.reserves.verifier.SumTree;
import com.reservebtc.reserves.verifier.Verifier;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Benchmark (SPEC §4: a 100,000-user snapshot built and signed in under 10 s): builds and signs an
 * rbtc-por-v2 snapshot of N users with the production {@link SnapshotBuilder} (salts, leaves,
 * Merkle-sum tree, statement, EIP-191 signature and its self-check), stores it with the production
 * {@link ReserveRepository} (COPY into an embedded PostgreSQL migrated by the service's Flyway
 * scripts), then serves one user's proof from the stored leaves and checks it with the offline
 * verifier's code. Each round is the next snapshot of the chain.
 *
 * <p>Options: {@code --users N} (default 100000), {@code --addresses-per-user K} (default 1),
 * {@code --rounds R} (default 3; the first runs on a cold JVM). Exits 1 if a round's build and
 * signature take 10 s or more, or if a proof does not verify.
 */
public final class ReservesSnapshotBenchmark {

  /** A benchmark-only key (not an Anvil account, not the local stack's). */
  private static final String KEY =
      "0b7f5f6d1c2a4e3b8d9c0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4";

  private ReservesSnapshotBenchmark() {}

  public static void main(String[] args) throws Exception {
    int users = 100_000;
    int perUser = 1;
    int rounds = 3;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--users" -> users = Integer.parseInt(args[++i]);
        case "--addresses-per-user" -> perUser = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    printMachine();
    System.out.printf(
        Locale.ROOT,
        "inputs: %,d users x %d P2WPKH address(es), balances 0..99,999,999 sats, %d rounds%n",
        users,
        perUser,
        rounds);
    Map<String, List<LeafAddress>> balances = balances(users, perUser);
    AttestationKey key = AttestationKey.ofHex(KEY);
    boolean ok = true;
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
      String url = postgres.getJdbcUrl("postgres", "postgres");
      Flyway.configure()
          .dataSource(url, "postgres", "postgres")
          .schemas("oracle")
          .defaultSchema("oracle")
          .load()
          .migrate();
      DriverManagerDataSource data =
          new DriverManagerDataSource(url + "&currentSchema=oracle", "postgres", "postgres");
      JdbcTemplate template = new JdbcTemplate(data);
      ReserveRepository repository =
          new ReserveRepository(
              JdbcClient.create(template),
              template,
              new DataSourceTransactionManager(data),
              JsonMapper.builder().build());
      String previous = Statement.NO_PREVIOUS;
      System.out.println(
          "round | build+sign | of which salts+leaves, tree, signature | store (COPY) | total"
              + " | one proof served from the stored leaves");
      for (int round = 1; round <= rounds; round++) {
        SnapshotBuilder.Header header =
            new SnapshotBuilder.Header(
                round,
                previous,
                "regtest",
                900_000 + round,
                String.format(Locale.ROOT, "%064x", round),
                6,
                31337,
                "0x" + "5f".repeat(20),
                BigInteger.valueOf(4_950_000_000_000L),
                4_000_000 + round,
                Instant.now());
        long t0 = System.nanoTime();
        SnapshotBuilder.Built built = SnapshotBuilder.build(balances, header, key);
        long t1 = System.nanoTime();
        long id = repository.insert(built.snapshot(), built.accounts());
        long t2 = System.nanoTime();
        // a user's proof on a cold cache: read the leaves, rebuild the tree, take the path
        String user = built.accounts().get(built.accounts().size() / 2).ethAddress();
        ReserveAccount account = repository.account(id, user).orElseThrow();
        SumTree tree = new SumTree(repository.leafNodes(id));
        List<ProofStep> path = tree.proof(account.index());
        long t3 = System.nanoTime();
        Statement statement = built.snapshot().statement();
        Verifier.checkAttestation(
            Map.of("statement", statement.text(), "signature", built.snapshot().signature()),
            key.address());
        boolean verified =
            SumTree.fold(account.node(), account.index(), statement.leafCount(), path)
                .equals(statement.root());
        Phases phases = Phases.of(balances, key, round);
        System.out.printf(
            Locale.ROOT,
            "%5d | %8.2f s | %5.2f s, %5.2f s, %6.4f s | %8.2f s | %5.2f s | %5.2f s, %s%n",
            round,
            seconds(t1 - t0),
            phases.leaves,
            phases.tree,
            phases.sign,
            seconds(t2 - t1),
            seconds(t2 - t0),
            seconds(t3 - t2),
            verified ? "verified" : "NOT VERIFIED");
        if (seconds(t1 - t0) >= 10 || !verified) {
          ok = false;
        }
        previous = built.snapshot().statementHash();
      }
      System.out.println("every statement signed by " + key.address());
    }
    System.out.println(
        ok ? "OK: every round built and signed in under 10 s, and verified" : "FAILED");
    System.exit(ok ? 0 : 1);
  }

  /** The build's phases timed separately (a second build after the measured one). */
  private record Phases(double leaves, double tree, double sign) {
    static Phases of(Map<String, List<LeafAddress>> balances, AttestationKey key, long sequence) {
      long t0 = System.nanoTime();
      AttestationKey.SaltFunction salts = key.saltsFor(sequence);
      SumNode[] nodes = new SumNode[balances.size()];
      int i = 0;
      for (Map.Entry<String, List<LeafAddress>> user : balances.entrySet()) {
        nodes[i++] = SumLeaf.of(salts.of(user.getKey()), user.getKey(), user.getValue()).node();
      }
      Arrays.sort(nodes, (a, b) -> a.hashHex().compareTo(b.hashHex()));
      long t1 = System.nanoTime();
      SumTree tree = new SumTree(Arrays.asList(nodes));
      long t2 = System.nanoTime();
      key.sign("ReserveBTC proof of reserves\n" + tree.root().hashHex());
      long t3 = System.nanoTime();
      return new Phases(seconds(t1 - t0), seconds(t2 - t1), seconds(t3 - t2));
    }
  }

  private static Map<String, List<LeafAddress>> balances(int users, int perUser) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    HexFormat hex = HexFormat.of();
    Map<String, List<LeafAddress>> balances = new LinkedHashMap<>();
    for (int u = 0; u < users; u++) {
      String eth = "0x" + hex.formatHex(Arrays.copyOf(sha.digest(tagged("eth", u, 0)), 20));
      LeafAddress[] addresses = new LeafAddress[perUser];
      for (int a = 0; a < perUser; a++) {
        byte[] program = Arrays.copyOf(sha.digest(tagged("p2wpkh", u, a)), 20);
        addresses[a] =
            new LeafAddress(
                "bcrt1q-" + u + "-" + a,
                "0014" + hex.formatHex(program),
                Math.floorMod(ByteBuffer.wrap(program).getLong(), 100_000_000L));
      }
      balances.put(eth, List.of(addresses));
    }
    return balances;
  }

  private static byte[] tagged(String tag, int a, int b) {
    byte[] text = tag.getBytes(StandardCharsets.US_ASCII);
    return ByteBuffer.allocate(text.length + 8).put(text).putInt(a).putInt(b).array();
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static void printMachine() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    long totalRam =
        os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getTotalMemorySize() : -1;
    System.out.printf(
        Locale.ROOT,
        "machine: %d cores, %.1f GiB RAM, %s %s, Java %s (%s), max heap %d MiB%n",
        Runtime.getRuntime().availableProcessors(),
        totalRam / (1024.0 * 1024 * 1024),
        os.getName(),
        os.getArch(),
        Runtime.version(),
        System.getProperty("java.vm.name"),
        Runtime.getRuntime().maxMemory() / (1024 * 1024));
    System.out.printf(
        Locale.ROOT, "load average (1 min) at start: %.2f%n", os.getSystemLoadAverage());
  }
}
