package com.reservebtc.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class PostgresServerIT {

  @TempDir Path temp;
  private PostgresServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void embeddedServerKeepsItsDataAcrossRestartsAndIsGoneAfterClose() throws Exception {
    Path data = temp.resolve("postgres");
    Path log = temp.resolve("logs/postgres.log");
    server = PostgresServer.startEmbedded(0, data, log);
    long pid = server.postmaster().orElseThrow().pid();
    try (Connection c =
            DriverManager.getConnection(
                server.jdbcUrl("indexer"), server.user(), server.password());
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA indexer");
      s.execute("CREATE TABLE marker(id int)");
      s.execute("INSERT INTO marker VALUES (42)");
    }
    server.close();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();

    server = PostgresServer.startEmbedded(0, data, log);
    long secondPid = server.postmaster().orElseThrow().pid();

    try (Connection c =
            DriverManager.getConnection(
                server.jdbcUrl("indexer"), server.user(), server.password());
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT id FROM marker")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getInt(1)).isEqualTo(42);
    }
    server.close();
    server = null;
    assertThat(ProcessHandle.of(secondPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  @Test
  void aKilledServerLeavesNoProcessAndStartsAgainOnTheSamePortWithItsCommittedRows()
      throws Exception {
    Path data = temp.resolve("postgres");
    Path log = temp.resolve("logs/postgres.log");
    server = PostgresServer.startEmbedded(0, data, log);
    int port = server.port();
    ProcessHandle postmaster = server.postmaster().orElseThrow();
    try (Connection c =
            DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE committed(id int)");
      s.execute("INSERT INTO committed VALUES (7)");
    }
    List<ProcessHandle> processes = postmaster.descendants().toList();
    assertThat(processes).as("the postmaster's backends and workers").isNotEmpty();

    server.kill();

    assertThat(postmaster.isAlive()).isFalse();
    assertThat(processes).noneMatch(ProcessHandle::isAlive);
    server = PostgresServer.startEmbedded(port, data, log);
    try (Connection c =
            DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT id FROM committed")) {
      assertThat(server.port()).isEqualTo(port);
      assertThat(rows.next()).isTrue();
      assertThat(rows.getInt(1)).isEqualTo(7);
    }
  }

  @Test
  void everyTransactionAcknowledgedBeforeAKillIsThereAfterTheRestart() throws Exception {
    Path data = temp.resolve("postgres");
    Path log = temp.resolve("logs/postgres.log");
    server = PostgresServer.startEmbedded(0, data, log);
    int port = server.port();
    int acknowledged = 300;
    try (Connection c =
            DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
        Statement s = c.createStatement()) {
      try (ResultSet setting = s.executeQuery("SHOW synchronous_commit")) {
        setting.next();
        assertThat(setting.getString(1))
            .as("a commit is acknowledged only once its WAL is written")
            .isEqualTo("on");
      }
      s.execute("CREATE TABLE acknowledged(id int)");
      for (int i = 0; i < acknowledged; i++) {
        s.execute("INSERT INTO acknowledged VALUES (" + i + ")");
      }
    }

    server.kill();

    server = PostgresServer.startEmbedded(port, data, log);
    try (Connection c =
            DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT count(*) FROM acknowledged")) {
      rows.next();
      assertThat(rows.getInt(1)).isEqualTo(acknowledged);
    }
  }

  @Test
  void anUnreachableExternalServerIsAClearError() {
    int port = Ports.free();

    assertThatThrownBy(
            () ->
                PostgresServer.external(
                    "jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "x"))
        .isInstanceOf(DevStackException.class)
        .hasMessageContaining(
            "cannot connect to PostgreSQL at jdbc:postgresql://127.0.0.1:" + port);
  }

  @Test
  void externalServerIsUsedAsGiven() throws Exception {
    server = PostgresServer.startEmbedded(0, temp.resolve("pg"), temp.resolve("pg.log"));

    PostgresServer external = PostgresServer.external(server.jdbcUrl(), "postgres", "anything");

    assertThat(external.isEmbedded()).isFalse();
    assertThat(external.port()).isEqualTo(server.port());
    external.close();
    try (Connection c = DriverManager.getConnection(server.jdbcUrl(), "postgres", "x")) {
      assertThat(c.isValid(2)).isTrue();
    }
  }
}
