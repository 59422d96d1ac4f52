package com.reservebtc.oracle.reserves;

import com.reservebtc.reserves.verifier.LeafAddress;
import com.reservebtc.reserves.verifier.Statement;
import com.reservebtc.reserves.verifier.SumNode;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postgresql.PGConnection;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code proof_of_reserves} (signed statements, append-only) and {@code proof_of_reserves_accounts}
 * (each snapshot's leaves). A snapshot and all its leaves are written in one database transaction —
 * the leaves with {@code COPY}, so 100,000 of them take well under a second: a stored snapshot is
 * always complete.
 */
@Repository
class ReserveRepository {

  private static final TypeReference<List<AddressJson>> ADDRESSES = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final JdbcTemplate template;
  private final TransactionTemplate transaction;
  private final JsonMapper json;

  ReserveRepository(
      JdbcClient jdbc,
      JdbcTemplate template,
      PlatformTransactionManager transactions,
      JsonMapper json) {
    this.jdbc = jdbc;
    this.template = template;
    this.transaction = new TransactionTemplate(transactions);
    this.json = json;
  }

  /** The JSON form of one address in a leaf (also the operator export's and the proof's). */
  record AddressJson(String btcAddress, String scriptPubKey, long sats) {
    static AddressJson of(LeafAddress a) {
      return new AddressJson(a.btcAddress(), a.scriptPubKey(), a.sats());
    }

    LeafAddress leafAddress() {
      return new LeafAddress(btcAddress, scriptPubKey, sats);
    }
  }

  /** Stores the snapshot and its leaves atomically; returns the snapshot's id. */
  long insert(ReserveSnapshot snapshot, List<ReserveAccount> accounts) {
    Statement s = snapshot.statement();
    Long id =
        transaction.execute(
            status -> {
              long snapshotId =
                  jdbc.sql(
                          """
                          insert into proof_of_reserves
                            (btc_height, btc_tip_hash, merkle_root, encoding, leaf_count,
                             total_confirmed_sats, synth_total_supply, synth_block_number,
                             backing_ratio, min_confirmations, created_at, sequence,
                             previous_hash, statement, statement_hash, signature, signer)
                          values (:height, :tip, :root, :encoding, :leafCount, :total, :supply,
                                  :supplyBlock, :ratio, :minConfirmations, :createdAt, :sequence,
                                  :previous, :statement, :statementHash, :signature, :signer)
                          returning id
                          """)
                      .param("height", s.btcHeight())
                      .param("tip", s.btcBlockHash())
                      .param("root", s.merkleRoot())
                      .param("encoding", Statement.ENCODING)
                      .param("leafCount", s.leafCount())
                      .param("total", s.reservesSats())
                      .param("supply", new BigDecimal(s.synthTotalSupply()))
                      .param("supplyBlock", s.evmBlock())
                      .param("ratio", s.backingPercent())
                      .param("minConfirmations", s.confirmations())
                      .param("createdAt", utc(s.created()))
                      .param("sequence", s.sequence())
                      .param("previous", s.previousHash())
                      .param("statement", s.text())
                      .param("statementHash", snapshot.statementHash())
                      .param("signature", snapshot.signature())
                      .param("signer", snapshot.signer())
                      .query(Long.class)
                      .single();
              copyAccounts(snapshotId, accounts);
              return snapshotId;
            });
    if (id == null) {
      throw new IllegalStateException("storing the reserve snapshot returned no id");
    }
    return id;
  }

  private void copyAccounts(long snapshotId, List<ReserveAccount> accounts) {
    StringBuilder rows = new StringBuilder(accounts.size() * 300);
    for (ReserveAccount a : accounts) {
      List<AddressJson> addresses = a.addresses().stream().map(AddressJson::of).toList();
      rows.append(snapshotId)
          .append('\t')
          .append(a.index())
          .append('\t')
          .append(a.ethAddress())
          .append('\t')
          .append(a.salt())
          .append('\t')
          .append(a.sum())
          .append('\t')
          .append(a.leafHash())
          .append('\t')
          .append(copyText(json.writeValueAsString(addresses)))
          .append('\n');
    }
    template.execute(
        (ConnectionCallback<Long>)
            connection -> {
              try {
                return connection
                    .unwrap(PGConnection.class)
                    .getCopyAPI()
                    .copyIn(
                        "copy proof_of_reserves_accounts (snapshot_id, leaf_index, eth_address,"
                            + " salt, sum_sats, leaf_hash, addresses) from stdin",
                        new StringReader(rows.toString()));
              } catch (IOException e) {
                throw new SQLException("copying the snapshot's leaves failed", e);
              }
            });
  }

  /** COPY's text format: backslash, tab and line breaks escaped. */
  private static String copyText(String value) {
    return value
        .replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r");
  }

  /** The newest signed snapshot. */
  Optional<ReserveSnapshot> latest() {
    return jdbc.sql(
            "select * from proof_of_reserves where statement is not null"
                + " order by sequence desc limit 1")
        .query(ReserveRepository::mapSnapshot)
        .optional();
  }

  /** The Bitcoin block hash of the newest snapshot of any encoding. */
  Optional<String> latestBlockHash() {
    return jdbc.sql("select btc_tip_hash from proof_of_reserves order by id desc limit 1")
        .query(String.class)
        .optional();
  }

  Optional<ReserveSnapshot> bySequence(long sequence) {
    return jdbc.sql("select * from proof_of_reserves where sequence = :s")
        .param("s", sequence)
        .query(ReserveRepository::mapSnapshot)
        .optional();
  }

  /** Signed snapshots newest first, with a sequence below {@code before}. */
  List<ReserveSnapshot> history(long before, int limit) {
    return jdbc.sql(
            "select * from proof_of_reserves where sequence < :before"
                + " order by sequence desc limit :limit")
        .param("before", before)
        .param("limit", limit)
        .query(ReserveRepository::mapSnapshot)
        .list();
  }

  /** The snapshot's leaves in leaf order; empty if they were pruned. */
  List<ReserveAccount> accounts(long snapshotId) {
    return jdbc.sql(
            "select * from proof_of_reserves_accounts where snapshot_id = :id order by leaf_index")
        .param("id", snapshotId)
        .query(this::mapAccount)
        .list();
  }

  Optional<ReserveAccount> account(long snapshotId, String ethAddress) {
    return jdbc.sql(
            "select * from proof_of_reserves_accounts where snapshot_id = :id"
                + " and eth_address = :eth")
        .param("id", snapshotId)
        .param("eth", ethAddress)
        .query(this::mapAccount)
        .optional();
  }

  /** The leaf nodes in leaf order, to rebuild the tree. */
  List<SumNode> leafNodes(long snapshotId) {
    List<SumNode> nodes = new ArrayList<>();
    template.query(
        "select leaf_hash, sum_sats from proof_of_reserves_accounts where snapshot_id = ?"
            + " order by leaf_index",
        rs -> {
          nodes.add(SumNode.of(rs.getString(1), rs.getLong(2)));
        },
        snapshotId);
    return nodes;
  }

  List<ReserveSnapshot> unpublished(Instant before) {
    return jdbc.sql(
            "select * from proof_of_reserves where published_at is null and created_at < :before"
                + " and statement is not null order by id limit 100")
        .param("before", utc(before))
        .query(ReserveRepository::mapSnapshot)
        .list();
  }

  void markPublished(long id, Instant now) {
    jdbc.sql(
            "update proof_of_reserves set published_at = :now where id = :id and published_at is null")
        .param("now", utc(now))
        .param("id", id)
        .update();
  }

  /** Deletes the leaves of every snapshot older than the newest {@code keep}. */
  int pruneLeaves(int keep) {
    Optional<Long> oldestKept =
        jdbc.sql("select id from proof_of_reserves order by id desc offset :keep limit 1")
            .param("keep", keep - 1)
            .query(Long.class)
            .optional();
    if (oldestKept.isEmpty()) {
      return 0;
    }
    return jdbc.sql("delete from proof_of_reserves_accounts where snapshot_id < :id")
            .param("id", oldestKept.get())
            .update()
        + jdbc.sql("delete from proof_of_reserves_leaves where snapshot_id < :id")
            .param("id", oldestKept.get())
            .update();
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  private static ReserveSnapshot mapSnapshot(ResultSet rs, int row) throws SQLException {
    return new ReserveSnapshot(
        rs.getLong("id"),
        Statement.parse(rs.getString("statement")),
        rs.getString("statement_hash"),
        rs.getString("signature"),
        rs.getString("signer"));
  }

  private ReserveAccount mapAccount(ResultSet rs, int row) throws SQLException {
    List<LeafAddress> addresses =
        json.readValue(rs.getString("addresses"), ADDRESSES).stream()
            .map(AddressJson::leafAddress)
            .toList();
    return new ReserveAccount(
        rs.getInt("leaf_index"),
        rs.getString("eth_address"),
        rs.getString("salt"),
        rs.getLong("sum_sats"),
        rs.getString("leaf_hash"),
        addresses);
  }
}
