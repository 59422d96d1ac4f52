package com.reservebtc.indexer.deployment;

import com.reservebtc.indexer.chain.Address;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The {@code indexer.deployments} table: every contract this service has been configured to index
 * on a chain, with when it was first and last configured.
 */
@Repository
public class DeploymentRepository {

  /** A stored deployment as the status endpoint shows it. */
  public record Row(
      long chainId,
      ContractKind kind,
      Address address,
      long startBlock,
      OffsetDateTime firstSeen,
      OffsetDateTime lastSeen) {}

  private final JdbcClient jdbc;

  DeploymentRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Transactional
  public void upsert(long chainId, List<Deployment> deployments) {
    for (Deployment deployment : deployments) {
      jdbc.sql(
              """
              insert into deployments (chain_id, address, kind, start_block)
              values (:chainId, :address, :kind, :startBlock)
              on conflict (chain_id, address) do update
                set kind = excluded.kind, start_block = excluded.start_block, last_seen = now()
              """)
          .param("chainId", chainId)
          .param("address", deployment.address().value())
          .param("kind", deployment.kind().name())
          .param("startBlock", deployment.startBlock())
          .update();
    }
  }

  public List<Row> findByChain(long chainId) {
    return jdbc.sql(
            """
            select chain_id, kind, address, start_block, first_seen, last_seen
            from deployments where chain_id = :chainId order by kind, address
            """)
        .param("chainId", chainId)
        .query(
            (rs, i) ->
                new Row(
                    rs.getLong("chain_id"),
                    ContractKind.valueOf(rs.getString("kind")),
                    Address.of(rs.getString("address")),
                    rs.getLong("start_block"),
                    rs.getObject("first_seen", OffsetDateTime.class),
                    rs.getObject("last_seen", OffsetDateTime.class)))
        .list();
  }
}
