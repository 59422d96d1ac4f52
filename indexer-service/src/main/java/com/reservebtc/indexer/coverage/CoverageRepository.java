package com.reservebtc.indexer.coverage;

import com.reservebtc.indexer.chain.Address;
import com.reservebtc.indexer.chain.BlockRef;
import com.reservebtc.indexer.deployment.ContractKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code indexer.coverage_states} table: the {@link Coverage} that belongs to each cursor,
 * keyed by the cursor's digest.
 *
 * <p>Guarantees: {@link #save} returns only once the row is durable, so saving before the Kafka
 * transaction commits means the committed cursor always has its row. Each save also prunes rows
 * older than the last cursor known to be committed; the row of a cursor whose commit outcome is
 * unknown is kept. Thread-safe (stateless apart from the database).
 */
@Repository
public class CoverageRepository {

  private final JdbcClient jdbc;
  private final JsonMapper json = JsonMapper.builder().build();

  CoverageRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Stores the coverage of the cursor with {@code digest} and deletes rows older than {@code
   * keepFromSeq}, in one statement, provided {@code epoch} is still the chain's current ingest
   * lease (see {@code IngestLease}).
   *
   * @return the row's sequence number, or empty if another instance holds a newer lease (nothing is
   *     written then)
   * @throws IllegalStateException if a row with this digest exists already (two cursors with the
   *     same bytes: the caller writes a new cursor)
   */
  public OptionalLong save(
      long chainId, long epoch, String digest, BlockRef tip, Coverage coverage, long keepFromSeq) {
    List<Long> seq =
        jdbc.sql(
                """
                with lease as (
                  select 1 from ingest_leases where chain_id = :chainId and epoch = :epoch
                ),
                pruned as (
                  delete from coverage_states
                  where chain_id = :chainId and seq < :keepFrom and exists (select 1 from lease)
                )
                insert into coverage_states (chain_id, cursor_digest, tip_number, tip_hash, state)
                select :chainId, :digest, :tipNumber, :tipHash, cast(:state as jsonb)
                where exists (select 1 from lease)
                on conflict (chain_id, cursor_digest) do nothing
                returning seq
                """)
            .param("chainId", chainId)
            .param("epoch", epoch)
            .param("keepFrom", keepFromSeq)
            .param("digest", digest)
            .param("tipNumber", tip.number())
            .param("tipHash", tip.hash())
            .param("state", toJson(coverage))
            .query(Long.class)
            .list();
    if (!seq.isEmpty()) {
      return OptionalLong.of(seq.get(0));
    }
    boolean leaseHeld =
        jdbc.sql("select count(*) from ingest_leases where chain_id = :chainId and epoch = :epoch")
                .param("chainId", chainId)
                .param("epoch", epoch)
                .query(Long.class)
                .single()
            > 0;
    if (!leaseHeld) {
      return OptionalLong.empty();
    }
    throw new IllegalStateException("a cursor with digest " + digest + " was stored before");
  }

  /** The coverage stored for the cursor with {@code digest}, with its sequence number. */
  public Optional<Stored> find(long chainId, String digest, BlockRef tip) {
    return jdbc.sql(
            """
            select seq, tip_number, tip_hash, state from coverage_states
            where chain_id = :chainId and cursor_digest = :digest
            """)
        .param("chainId", chainId)
        .param("digest", digest)
        .query(
            (rs, i) -> {
              BlockRef storedTip = new BlockRef(rs.getLong("tip_number"), rs.getString("tip_hash"));
              if (!storedTip.equals(tip)) {
                throw new IllegalStateException(
                    "coverage row "
                        + rs.getLong("seq")
                        + " belongs to block "
                        + storedTip
                        + ", not to the cursor's "
                        + tip);
              }
              return new Stored(rs.getLong("seq"), fromJson(rs.getString("state")));
            })
        .optional();
  }

  /** A stored coverage and its row's sequence number. */
  public record Stored(long seq, Coverage coverage) {}

  String toJson(Coverage coverage) {
    ObjectNode root = json.createObjectNode();
    root.put("version", 1);
    ArrayNode deployments = root.putArray("deployments");
    for (DeploymentCoverage d : coverage.deployments()) {
      ObjectNode node = deployments.addObject();
      node.put("address", d.address().value());
      node.put("kind", d.kind().name());
      node.put("startBlock", d.startBlock());
      node.put("liveFrom", d.liveFrom());
      node.put("retiredAfter", d.retiredAfter());
      ArrayNode gaps = node.putArray("gaps");
      for (BlockRange gap : d.gaps()) {
        gaps.addArray().add(gap.from()).add(gap.to());
      }
      ObjectNode counts = node.putObject("counts");
      d.counts().forEach(counts::put);
      node.put("countedFrom", d.countedFrom());
    }
    return json.writeValueAsString(root);
  }

  Coverage fromJson(String text) {
    JsonNode root = json.readTree(text);
    if (root.path("version").asInt() != 1) {
      throw new IllegalStateException("unknown coverage state version " + root.path("version"));
    }
    List<DeploymentCoverage> all = new ArrayList<>();
    for (JsonNode node : root.path("deployments")) {
      List<BlockRange> gaps = new ArrayList<>();
      for (JsonNode gap : node.path("gaps")) {
        gaps.add(new BlockRange(gap.get(0).asLong(), gap.get(1).asLong()));
      }
      Map<String, Long> counts = new TreeMap<>();
      node.path("counts").properties().forEach(e -> counts.put(e.getKey(), e.getValue().asLong()));
      all.add(
          new DeploymentCoverage(
              Address.of(node.get("address").asString()),
              ContractKind.valueOf(node.get("kind").asString()),
              node.get("startBlock").asLong(),
              node.get("liveFrom").asLong(),
              node.get("retiredAfter").asLong(),
              gaps,
              counts,
              node.get("countedFrom").asLong()));
    }
    return Coverage.of(all);
  }
}
