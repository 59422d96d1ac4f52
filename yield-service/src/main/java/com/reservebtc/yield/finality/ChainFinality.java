package com.reservebtc.yield.finality;

import com.reservebtc.schemas.avro.Finality;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The {@code chain_finality} table. Writers of finality-carrying rows call {@link #holdShared}
 * first in their transaction: the shared row lock makes a concurrent marker wait until the new row
 * is committed (so its upgrade sees it), or makes the writer wait for the marker (so it reads the
 * new heights). Taking it first keeps the lock order the same everywhere.
 */
@Repository
public class ChainFinality {

  private final JdbcClient jdbc;

  ChainFinality(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** The chain's heights, share-locked until the caller's transaction ends. */
  @Transactional(propagation = Propagation.MANDATORY)
  public ChainHeights holdShared(long chainId) {
    Optional<ChainHeights> heights = selectForShare(chainId);
    if (heights.isPresent()) {
      return heights.get();
    }
    jdbc.sql("insert into chain_finality (chain_id) values (?) on conflict do nothing")
        .param(chainId)
        .update();
    return selectForShare(chainId).orElseThrow();
  }

  /**
   * Raises the chain's {@code target} height to {@code blockNumber}; {@code false} when it already
   * was at least that high (a redelivered or out-of-date marker).
   */
  @Transactional(propagation = Propagation.MANDATORY)
  boolean advance(long chainId, Finality target, long blockNumber) {
    String column =
        switch (target) {
          case CONFIRMED -> "confirmed_block";
          case FINALIZED -> "finalized_block";
          case PENDING -> throw new IllegalArgumentException("no marker height for PENDING");
        };
    return jdbc.sql(
                "insert into chain_finality as f (chain_id, "
                    + column
                    + ") values (?, ?) on conflict (chain_id) do update set "
                    + column
                    + " = excluded."
                    + column
                    + ", updated_at = now() where f."
                    + column
                    + " is null or f."
                    + column
                    + " < excluded."
                    + column)
            .params(chainId, blockNumber)
            .update()
        == 1;
  }

  private Optional<ChainHeights> selectForShare(long chainId) {
    return jdbc.sql(
            """
            select chain_id, coalesce(confirmed_block, -1), coalesce(finalized_block, -1)
            from chain_finality where chain_id = ? for share
            """)
        .param(chainId)
        .query((rs, n) -> new ChainHeights(rs.getLong(1), rs.getLong(2), rs.getLong(3)))
        .optional();
  }
}
