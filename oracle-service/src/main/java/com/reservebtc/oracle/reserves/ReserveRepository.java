package com.reservebtc.oracle.reserves;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code proof_of_reserves} and {@code proof_of_reserves_leaves}. A snapshot and all its leaves are
 * written in one database transaction: a stored snapshot is always complete.
 */
@Repository
class ReserveRepository {

  private static final HexFormat HEX = HexFormat.of();
  private static final int BATCH = 1_000;

  private final JdbcClient jdbc;
  private final JdbcTemplate template;
  private final TransactionTemplate transaction;

  ReserveRepository(
      JdbcClient jdbc, JdbcTemplate template, PlatformTransactionManager transactions) {
    this.jdbc = jdbc;
    this.template = template;
    this.transaction = new TransactionTemplate(transactions);
  }

  /** Stores the snapshot and its leaves atomically; returns the snapshot's id. */
  long insert(ReserveSnapshot snapshot, List<ReserveLeaf> leaves) {
    Long id =
        transaction.execute(
            status -> {
              long snapshotId =
                  jdbc.sql(
                          """
                          insert into proof_of_reserves
                            (btc_height, btc_tip_hash, merkle_root, encoding, leaf_count,
                             total_confirmed_sats, synth_total_supply, synth_block_number,
                             backing_ratio, min_confirmations, created_at)
                          values (:height, :tip, :root, :encoding, :leafCount, :total, :supply,
                                  :supplyBlock, :ratio, :minConfirmations, :createdAt)
                          returning id
                          """)
                      .param("height", snapshot.btcHeight())
                      .param("tip", snapshot.btcTipHash())
                      .param("root", snapshot.merkleRoot())
                      .param("encoding", ReserveProofVerifier.ENCODING)
                      .param("leafCount", snapshot.leafCount())
                      .param("total", snapshot.totalConfirmedSats())
                      .param("supply", new BigDecimal(snapshot.synthTotalSupply()))
                      .param("supplyBlock", snapshot.synthBlockNumber())
                      .param("ratio", snapshot.backingRatio())
                      .param("minConfirmations", snapshot.minConfirmations())
                      .param("createdAt", utc(snapshot.createdAt()))
                      .query(Long.class)
                      .single();
              template.batchUpdate(
                  """
                  insert into proof_of_reserves_leaves
                    (snapshot_id, leaf_index, eth_address, btc_address, script_pubkey,
                     confirmed_sats, btc_height, leaf_hash)
                  values (?, ?, ?, ?, ?, ?, ?, ?)
                  """,
                  leaves,
                  BATCH,
                  (PreparedStatement ps, ReserveLeaf leaf) -> {
                    ps.setLong(1, snapshotId);
                    ps.setInt(2, leaf.index());
                    ps.setString(3, leaf.ethAddress());
                    ps.setString(4, leaf.btcAddress());
                    ps.setString(5, leaf.scriptPubKey());
                    ps.setLong(6, leaf.confirmedSats());
                    ps.setLong(7, leaf.btcHeight());
                    ps.setString(8, leaf.leafHash());
                  });
              return snapshotId;
            });
    if (id == null) {
      throw new IllegalStateException("storing the reserve snapshot returned no id");
    }
    return id;
  }

  Optional<ReserveSnapshot> latest() {
    return jdbc.sql("select * from proof_of_reserves order by id desc limit 1")
        .query(ReserveRepository::mapSnapshot)
        .optional();
  }

  Optional<ReserveSnapshot> byId(long id) {
    return jdbc.sql("select * from proof_of_reserves where id = :id")
        .param("id", id)
        .query(ReserveRepository::mapSnapshot)
        .optional();
  }

  /** The snapshot's leaves in Merkle order; empty if they were pruned. */
  List<ReserveLeaf> leaves(long snapshotId) {
    return jdbc.sql(
            "select * from proof_of_reserves_leaves where snapshot_id = :id order by leaf_index")
        .param("id", snapshotId)
        .query(ReserveRepository::mapLeaf)
        .list();
  }

  List<ReserveLeaf> leavesOf(long snapshotId, String ethAddress) {
    return jdbc.sql(
            "select * from proof_of_reserves_leaves where snapshot_id = :id and eth_address = :eth"
                + " order by leaf_index")
        .param("id", snapshotId)
        .param("eth", ethAddress)
        .query(ReserveRepository::mapLeaf)
        .list();
  }

  /** The leaf hashes in Merkle order, to rebuild the tree for proofs. */
  List<byte[]> leafHashes(long snapshotId) {
    return jdbc.sql(
            "select leaf_hash from proof_of_reserves_leaves where snapshot_id = :id"
                + " order by leaf_index")
        .param("id", snapshotId)
        .query((rs, n) -> HEX.parseHex(rs.getString(1)))
        .list();
  }

  List<ReserveSnapshot> unpublished(Instant before) {
    return jdbc.sql(
            "select * from proof_of_reserves where published_at is null and created_at < :before"
                + " order by id limit 100")
        .param("before", utc(before))
        .query(ReserveRepository::mapSnapshot)
        .list();
  }

  void markPublished(long id, Instant now) {
    jdbc.sql("update proof_of_reserves set published_at = :now where id = :id")
        .param("now", utc(now))
        .param("id", id)
        .update();
  }

  /** Deletes the leaves of every snapshot older than the newest {@code keep}. */
  int pruneLeaves(int keep) {
    return jdbc.sql(
            """
            delete from proof_of_reserves_leaves
            where snapshot_id <= (select id from proof_of_reserves order by id desc
                                  offset :keep limit 1)
            """)
        .param("keep", keep)
        .update();
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  private static ReserveSnapshot mapSnapshot(ResultSet rs, int row) throws SQLException {
    return new ReserveSnapshot(
        rs.getLong("id"),
        rs.getLong("btc_height"),
        rs.getString("btc_tip_hash"),
        rs.getString("merkle_root"),
        rs.getInt("leaf_count"),
        rs.getLong("total_confirmed_sats"),
        rs.getBigDecimal("synth_total_supply").toBigIntegerExact(),
        rs.getLong("synth_block_number"),
        rs.getString("backing_ratio"),
        rs.getInt("min_confirmations"),
        rs.getObject("created_at", OffsetDateTime.class).toInstant());
  }

  private static ReserveLeaf mapLeaf(ResultSet rs, int row) throws SQLException {
    return new ReserveLeaf(
        rs.getInt("leaf_index"),
        rs.getString("eth_address"),
        rs.getString("btc_address"),
        rs.getString("script_pubkey"),
        rs.getLong("confirmed_sats"),
        rs.getLong("btc_height"),
        rs.getString("leaf_hash"));
  }
}
