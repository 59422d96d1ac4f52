package com.reservebtc.indexer.publish;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code indexer.ingest_leases} table: one epoch per chain, taken by each indexer instance when
 * it starts. Kafka fences by transactional id, so whichever instance opens a producer last wins;
 * after a failed transaction an instance must open a new producer, and without this lease an older
 * instance would take the chain back from a newer one. With it, an instance that finds a newer
 * epoch stops instead.
 *
 * <p>Guarantees: epochs of a chain strictly increase; {@link #claim} is atomic. Thread-safe.
 */
@Repository
public class IngestLease {

  private final JdbcClient jdbc;

  IngestLease(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Takes the next epoch of {@code chainId} and returns it. */
  public long claim(long chainId) {
    return jdbc.sql(
            """
            insert into ingest_leases (chain_id, epoch) values (:chainId, 1)
            on conflict (chain_id) do update
              set epoch = ingest_leases.epoch + 1, acquired_at = now()
            returning epoch
            """)
        .param("chainId", chainId)
        .query(Long.class)
        .single();
  }

  /** The current epoch of {@code chainId}, 0 if no instance ever claimed it. */
  public long current(long chainId) {
    return jdbc.sql("select epoch from ingest_leases where chain_id = :chainId")
        .param("chainId", chainId)
        .query(Long.class)
        .optional()
        .orElse(0L);
  }
}
