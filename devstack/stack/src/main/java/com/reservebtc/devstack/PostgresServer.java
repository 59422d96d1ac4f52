package com.reservebtc.devstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The stack's PostgreSQL: either an embedded server (zonky binaries, started in this JVM's process
 * tree) whose data directory survives restarts, or an external server given by URL.
 *
 * <p>Guarantees: when {@link #start} returns, a JDBC connection with the given credentials works.
 * The embedded server listens on 127.0.0.1 only and trusts every local connection (any password is
 * accepted); it is a developer database, not a secured one. Each service creates and migrates its
 * own schema with Flyway; this class creates none.
 */
final class PostgresServer implements AutoCloseable {

  static final String DEFAULT_USER = "postgres";
  static final String DEFAULT_PASSWORD = "postgres";

  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final EmbeddedPostgres embedded;
  private final ProcessHandle postmaster;

  private PostgresServer(
      String jdbcUrl,
      String user,
      String password,
      EmbeddedPostgres embedded,
      ProcessHandle postmaster) {
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
    this.embedded = embedded;
    this.postmaster = postmaster;
  }

  /** Starts (initialising on first use) an embedded server on {@code port} (0 = any free port). */
  static PostgresServer startEmbedded(int port, Path dataDir, Path logFile) {
    try {
      Files.createDirectories(logFile.getParent());
      ProcessBuilder.Redirect log = ProcessBuilder.Redirect.appendTo(logFile.toFile());
      EmbeddedPostgres pg =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(false)
              .setPort(port)
              .setServerConfig("listen_addresses", Ports.LOOPBACK)
              // five services with connection pools, plus Flyway, plus a test or psql
              .setServerConfig("max_connections", "200")
              // The embedded default is off: a commit is acknowledged before its WAL is written,
              // so a SIGKILL loses transactions the services were told had committed (and they
              // have already moved on past them). The stack is killed on purpose by the fault
              // test, so it runs with PostgreSQL's own default.
              .setServerConfig("synchronous_commit", "on")
              .setOutputRedirector(log)
              .setErrorRedirector(log)
              .setPGStartupWait(Duration.ofSeconds(60))
              // the launcher stops PostgreSQL itself, after the services that use it
              .setRegisterShutdownHook(false)
              .start();
      String url = "jdbc:postgresql://" + Ports.LOOPBACK + ":" + pg.getPort() + "/postgres";
      PostgresServer server =
          new PostgresServer(
              url, DEFAULT_USER, DEFAULT_PASSWORD, pg, readPostmaster(dataDir).orElse(null));
      server.verifyConnection();
      return server;
    } catch (IOException | RuntimeException e) {
      throw new DevStackException(
          "embedded PostgreSQL did not start ("
              + e.getMessage()
              + "); see "
              + logFile
              + ". A PostgreSQL left running by an earlier run holds "
              + dataDir
              + "/postmaster.pid; stop that process, or start with --fresh",
          e);
    }
  }

  /** Uses an existing server; fails unless a connection can be opened now. */
  static PostgresServer external(String jdbcUrl, String user, String password) {
    if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
      throw new DevStackException(
          "--postgres-url must look like jdbc:postgresql://host:port/database, got " + jdbcUrl);
    }
    PostgresServer server = new PostgresServer(jdbcUrl, user, password, null, null);
    server.verifyConnection();
    return server;
  }

  String jdbcUrl() {
    return jdbcUrl;
  }

  /** The URL a service uses: the same database, with its own schema as the current schema. */
  String jdbcUrl(String schema) {
    return withCurrentSchema(jdbcUrl, schema);
  }

  String user() {
    return user;
  }

  String password() {
    return password;
  }

  int port() {
    int port = URI.create(jdbcUrl.substring("jdbc:".length())).getPort();
    return port == -1 ? 5432 : port;
  }

  boolean isEmbedded() {
    return embedded != null;
  }

  /** The embedded server's postmaster process. */
  Optional<ProcessHandle> postmaster() {
    return Optional.ofNullable(postmaster);
  }

  private static Optional<ProcessHandle> readPostmaster(Path dataDir) {
    try {
      List<String> lines =
          Files.readAllLines(dataDir.resolve("postmaster.pid"), StandardCharsets.UTF_8);
      return lines.isEmpty()
          ? Optional.empty()
          : ProcessHandle.of(Long.parseLong(lines.get(0).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  static String withCurrentSchema(String jdbcUrl, String schema) {
    return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  private void verifyConnection() {
    try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
        Statement s = c.createStatement()) {
      s.execute("SELECT 1");
    } catch (SQLException e) {
      throw new DevStackException(
          "cannot connect to PostgreSQL at " + jdbcUrl + " as " + user + ": " + e.getMessage(), e);
    }
  }

  /**
   * Kills the embedded server with SIGKILL, as a crash would: the postmaster first, then any of its
   * processes still alive after a grace period (backends normally exit on their own once the
   * postmaster is gone). Returns when every one of them has exited, so a new server can start on
   * the same data directory; releases this instance's hold on the directory.
   */
  void kill() {
    if (embedded == null || postmaster == null) {
      throw new IllegalStateException("only an embedded PostgreSQL can be killed");
    }
    List<ProcessHandle> processes = postmaster.descendants().toList();
    postmaster.destroyForcibly();
    ChildProcess.stop(postmaster, Duration.ofSeconds(10), true);
    for (ProcessHandle child : processes) {
      // a backend that outlives the postmaster would keep the shared memory and block a restart
      ChildProcess.stop(child, Duration.ofSeconds(15), true);
    }
    try {
      // pg_ctl finds no server to stop; what this does is release the data directory's lock
      embedded.close();
    } catch (IOException e) {
      throw new DevStackException("could not release PostgreSQL's data directory: " + e, e);
    }
  }

  /**
   * Stops the embedded server (fast shutdown) and returns when its postmaster process is gone; does
   * nothing for an external one.
   */
  @Override
  public void close() {
    if (embedded == null) {
      return;
    }
    try {
      embedded.close();
    } catch (IOException e) {
      throw new DevStackException("could not stop PostgreSQL: " + e.getMessage(), e);
    }
    if (postmaster != null) {
      // pg_ctl reports "stopped" once the pid file is gone, a moment before the process exits;
      // if pg_ctl gave up, this stops the postmaster by PID
      ChildProcess.stop(postmaster, Duration.ofSeconds(10), true);
    }
  }
}
