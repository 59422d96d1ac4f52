package com.reservebtc.devstack.chaos;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Everything a {@link ReadModelCheck} compares against and reads from: the chain's logs up to the
 * frozen head, the state at that head by {@code eth_call}, the finality each block must carry, and
 * access to the services' databases and HTTP APIs.
 *
 * @param orphaned publications ({@code eventId@blockHash}) the harness saw leave the chain, with
 *     the fault that removed them
 */
record Verification(
    ChainTruth truth,
    ExpectedFinality finality,
    ProtocolCalls calls,
    List<ChaosUser> users,
    Map<String, String> orphaned,
    String jdbcUrl,
    String jdbcUser,
    String jdbcPassword,
    Map<String, String> serviceUrls,
    String kafkaBootstrap) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** The block tag of the frozen head, for {@code eth_call}. */
  String headTag() {
    return JsonRpc.hex(truth.head());
  }

  /** Every address the read models may hold a balance of: the users and every log's addresses. */
  Set<String> addresses() {
    TreeSet<String> all = truth.addresses();
    users.forEach(u -> all.add(u.address()));
    return all;
  }

  /** Why a publication that is not canonical would be in a read model. */
  String whyNotCanonical(String publication) {
    String fault = orphaned.get(publication);
    return fault != null
        ? "retracted (left the chain in " + fault + ")"
        : "not on the canonical chain";
  }

  /** Every row of a query, column name to value. */
  List<Map<String, Object>> rows(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl, jdbcUser, jdbcPassword);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData meta = rs.getMetaData();
      List<Map<String, Object>> out = new ArrayList<>();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.put(meta.getColumnLabel(i), rs.getObject(i));
        }
        out.add(row);
      }
      return out;
    }
  }

  /**
   * The finality label of a row's block as the services derive it since they consume through
   * chain-consumer: from their schema's {@code chain_heights} row of the row's chain (FINALIZED at
   * or below the finalized height, CONFIRMED at or below the confirmed height, else PENDING).
   *
   * @param schema the service's schema
   * @param alias the alias of the row's table in the query, which has {@code chain_id} and {@code
   *     block_number}
   */
  static String finalitySql(String schema, String alias) {
    String block = alias + ".block_number";
    return "COALESCE((SELECT CASE WHEN "
        + block
        + " <= h.finalized_block THEN 'FINALIZED' WHEN "
        + block
        + " <= h.confirmed_block THEN 'CONFIRMED' ELSE 'PENDING' END FROM "
        + schema
        + ".chain_heights h WHERE h.chain_id = "
        + alias
        + ".chain_id), 'PENDING')";
  }

  /** A numeric column as an integer ({@code numeric}, {@code bigint} or {@code integer}). */
  static BigInteger integer(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof BigDecimal d) {
      return d.toBigIntegerExact();
    }
    return BigInteger.valueOf(((Number) value).longValue());
  }

  /** GET on a service; a non-200 answer throws with its body. */
  JsonNode get(String service, String pathAndQuery) throws IOException, InterruptedException {
    String base = serviceUrls.get(service);
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(Duration.ofSeconds(20))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(
          service + pathAndQuery + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }
}
